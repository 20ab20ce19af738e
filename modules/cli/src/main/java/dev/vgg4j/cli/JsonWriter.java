package dev.vgg4j.cli;

import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers and booleans as indented JSON, for {@code run.json}. */
final class JsonWriter {
    private JsonWriter() {}

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, String indent) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> {
                out.append("{");
                String inner = indent + "  ";
                String separator = "\n";
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(separator).append(inner).append(quote(String.valueOf(entry.getKey()))).append(": ");
                    write(entry.getValue(), out, inner);
                    separator = ",\n";
                }
                out.append(map.isEmpty() ? "}" : "\n" + indent + "}");
            }
            case List<?> list -> {
                out.append("[");
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    write(list.get(i), out, indent);
                }
                out.append("]");
            }
            case Double d when d.isNaN() || d.isInfinite() -> out.append(quote(d.toString()));
            case Float f when f.isNaN() || f.isInfinite() -> out.append(quote(f.toString()));
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> out.append(quote(value.toString()));
        }
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
