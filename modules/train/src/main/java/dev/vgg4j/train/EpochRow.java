package dev.vgg4j.train;

/**
 * One epoch's numbers as a line of {@code metrics.csv}. Rows are also read back from the file, so
 * that a resumed run's table and curves include the epochs trained before it.
 */
public record EpochRow(int epoch, double trainLoss, double trainAcc, double valLoss, double valAcc, double lr,
                       double seconds, double imagesPerSecond) {
    public static final String CSV_HEADER = "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,images_per_second";

    public static EpochRow of(EpochResult e) {
        return new EpochRow(e.epoch(), e.train().loss(), e.train().accuracy(), e.validation().loss(),
                e.validation().accuracy(), e.learningRate(), e.durationSeconds(), e.imagesPerSecond());
    }

    /** A data line of {@code metrics.csv}; {@code source} names the file in errors. */
    public static EpochRow parse(String line, String source) {
        String[] f = line.split(",");
        if (f.length != 8) {
            throw new IllegalArgumentException(source + ": line '" + line + "' has " + f.length
                    + " fields, expected 8 (" + CSV_HEADER + ")");
        }
        try {
            return new EpochRow(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": line '" + line + "' is not " + CSV_HEADER);
        }
    }

    public String toCsv() {
        return epoch + "," + trainLoss + "," + trainAcc + "," + valLoss + "," + valAcc + "," + lr + ","
                + seconds + "," + imagesPerSecond;
    }
}
