package dev.vgg4j.cli;

/** Something the user gave (a flag, a file) is not what a command expects; the message says what is. */
final class BadInputException extends RuntimeException {
    BadInputException(String message) {
        super(message);
    }
}
