package dev.vgg4j.cli;

import dev.vgg4j.model.io.Json;
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
                    out.append(separator).append(inner).append(Json.quote(String.valueOf(entry.getKey()))).append(": ");
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
            case Double d when d.isNaN() || d.isInfinite() -> out.append(Json.quote(d.toString()));
            case Float f when f.isNaN() || f.isInfinite() -> out.append(Json.quote(f.toString()));
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> out.append(Json.quote(value.toString()));
        }
    }
}
