package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code dev.vgg4j} packages form a layered graph: no package reaches back to one that depends
 * on it (issue 13 removed {@code core <-> spi} and {@code data <-> data.transform}). The CLI sees
 * every module, so its class path holds every package; the edges come from the compiled classes'
 * constant pools (class references and the types inside method and field descriptors).
 */
class PackageCyclesTest {
    /** A type named inside a descriptor or signature, e.g. {@code ()Ldev/vgg4j/spi/Backend;}. */
    private static final Pattern DESCRIBED_TYPE = Pattern.compile("L(dev/vgg4j/[\\w/$]+)[;<]");

    @Test
    void projectPackagesHaveNoCycles() throws IOException, URISyntaxException {
        Map<String, Map<String, String>> edges = packageEdges();
        assertTrue(edges.keySet().containsAll(List.of("dev.vgg4j.core", "dev.vgg4j.spi", "dev.vgg4j.data",
                "dev.vgg4j.data.transform", "dev.vgg4j.model", "dev.vgg4j.train", "dev.vgg4j.cli")),
                "every module's packages are on the CLI's test class path: " + edges.keySet());

        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(edges)) {
            if (component.size() > 1) {
                StringBuilder line = new StringBuilder(String.join(" <-> ", component)).append(':');
                for (String from : component) {
                    edges.get(from).forEach((to, example) -> {
                        if (component.contains(to)) {
                            line.append("\n    ").append(from).append(" -> ").append(to).append(" (").append(example).append(')');
                        }
                    });
                }
                cycles.add(line.toString());
            }
        }
        assertEquals(List.of(), cycles, "package cycles:\n" + String.join("\n", cycles));
    }

    /** package -> (package it uses -> one class that uses it, for the failure message). */
    private static Map<String, Map<String, String>> packageEdges() throws IOException, URISyntaxException {
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (URL root : Collections.list(PackageCyclesTest.class.getClassLoader().getResources("dev/vgg4j"))) {
            URI uri = root.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    addClasses(jar.provider().getPath(uri), edges);
                }
            } else {
                addClasses(Path.of(uri), edges);
            }
        }
        return edges;
    }

    private static void addClasses(Path dir, Map<String, Map<String, String>> edges) throws IOException {
        List<Path> classes;
        try (Stream<Path> files = Files.walk(dir)) {
            classes = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        for (Path file : classes) {
            ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
            String user = model.thisClass().asInternalName();
            Map<String, String> uses = edges.computeIfAbsent(packageOf(user), p -> new TreeMap<>());
            for (PoolEntry entry : model.constantPool()) {
                List<String> named = new ArrayList<>();
                if (entry instanceof ClassEntry c && c.asInternalName().startsWith("dev/vgg4j/")) {
                    named.add(c.asInternalName());
                } else if (entry instanceof Utf8Entry u) {
                    Matcher m = DESCRIBED_TYPE.matcher(u.stringValue());
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                }
                for (String used : named) {
                    String target = packageOf(used);
                    if (!target.equals(packageOf(user))) {
                        uses.putIfAbsent(target, user.replace('/', '.') + " uses " + used.replace('/', '.'));
                    }
                }
            }
        }
    }

    private static String packageOf(String internalName) {
        return internalName.substring(0, internalName.lastIndexOf('/')).replace('/', '.');
    }

    /** Tarjan's strongly connected components; a component of two or more packages is a cycle. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        var state = new Object() {
            int next;
            final Map<String, Integer> index = new TreeMap<>();
            final Map<String, Integer> low = new TreeMap<>();
            final List<String> stack = new ArrayList<>();
            final List<Set<String>> components = new ArrayList<>();

            void visit(String v) {
                index.put(v, next);
                low.put(v, next);
                next++;
                stack.add(v);
                for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
                    if (!index.containsKey(w)) {
                        visit(w);
                        low.put(v, Math.min(low.get(v), low.get(w)));
                    } else if (stack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.removeLast();
                        component.add(w);
                    } while (!w.equals(v));
                    components.add(component);
                }
            }
        };
        for (String v : edges.keySet()) {
            if (!state.index.containsKey(v)) {
                state.visit(v);
            }
        }
        return state.components;
    }
}
