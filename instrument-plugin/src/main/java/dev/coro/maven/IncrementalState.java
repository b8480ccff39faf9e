package dev.coro.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the last run of a goal saw: for each class file (path relative to the classes folder) its
 * size and modification time after the run. A class file that still has both was left by the last
 * run (rewritten, or found to need nothing) and is skipped without being read.
 *
 * <p>File format, one class per line, UTF-8: {@code size <TAB> lastModifiedMillis <TAB> relativePath};
 * the first line is {@link #HEADER}. A file that cannot be read or has another header is ignored
 * (everything is looked at again), so the format can change without a clean build.
 */
final class IncrementalState {
    /** First line of the state file; changes when the rewriter's output could change. */
    static final String HEADER = "coro-instrument-state 1";

    private final Map<String, Stamp> stamps;

    private IncrementalState(Map<String, Stamp> stamps) {
        this.stamps = stamps;
    }

    /** The size and modification time of a class file. */
    record Stamp(long size, long lastModifiedMillis) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.size(), attributes.lastModifiedTime().toMillis());
        }
    }

    /** @return a state that knows no class */
    static IncrementalState empty() {
        return new IncrementalState(new HashMap<>());
    }

    /**
     * Reads the state a previous run wrote.
     *
     * @param file the state file
     * @return its state; empty when the file is missing, unreadable or of another format
     */
    static IncrementalState load(Path file) {
        Map<String, Stamp> stamps = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return new IncrementalState(stamps);
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                return new IncrementalState(stamps);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] parts = line.split("\t", 3);
                if (parts.length == 3) {
                    stamps.put(parts[2], new Stamp(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
                }
            }
            return new IncrementalState(stamps);
        } catch (IOException | NumberFormatException e) {
            return new IncrementalState(new HashMap<>());
        }
    }

    /**
     * @param relativePath the class file's path relative to the classes folder, with {@code /}
     * @param current its current stamp
     * @return whether the last run left the file exactly so
     */
    boolean unchanged(String relativePath, Stamp current) {
        return current.equals(stamps.get(relativePath));
    }

    /**
     * Records a class file as handled.
     *
     * @param relativePath the class file's path relative to the classes folder, with {@code /}
     * @param stamp its stamp after this run
     */
    void record(String relativePath, Stamp stamp) {
        stamps.put(relativePath, stamp);
    }

    /**
     * Writes the state (atomically: to a temporary file, then moved over the old one).
     *
     * @param file the state file; its folder is created if needed
     * @throws UncheckedIOException if it cannot be written
     */
    void save(Path file) {
        List<String> lines = new ArrayList<>(stamps.size() + 1);
        lines.add(HEADER);
        stamps.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                lines.add(entry.getValue().size() + "\t" + entry.getValue().lastModifiedMillis() + "\t" + entry.getKey()));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Coro incremental state " + file + ": " + e.getMessage(), e);
        }
    }
}
