package dev.coro.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalStateTest {
    @TempDir
    Path folder;

    @Test
    void testSaveLoad_roundTrip() {
        IncrementalState state = IncrementalState.empty();
        state.record("com/acme/Foo.class", new IncrementalState.Stamp(123, 456));
        state.record("Bar$1.class", new IncrementalState.Stamp(7, 8));
        Path file = folder.resolve("sub/instrument.state");
        state.save(file);

        IncrementalState loaded = IncrementalState.load(file);
        assertTrue(loaded.unchanged("com/acme/Foo.class", new IncrementalState.Stamp(123, 456)));
        assertTrue(loaded.unchanged("Bar$1.class", new IncrementalState.Stamp(7, 8)));
        assertFalse(loaded.unchanged("com/acme/Foo.class", new IncrementalState.Stamp(123, 457)));
        assertFalse(loaded.unchanged("com/acme/Foo.class", new IncrementalState.Stamp(124, 456)));
        assertFalse(loaded.unchanged("Other.class", new IncrementalState.Stamp(123, 456)));
    }

    @Test
    void testLoad_missingCorruptOrOtherFormatKnowsNothing() throws Exception {
        assertFalse(IncrementalState.load(folder.resolve("none")).unchanged("A.class", new IncrementalState.Stamp(1, 1)));

        Path other = folder.resolve("other");
        Files.write(other, List.of("some other tool 9", "1\t1\tA.class"), StandardCharsets.UTF_8);
        assertFalse(IncrementalState.load(other).unchanged("A.class", new IncrementalState.Stamp(1, 1)));

        Path corrupt = folder.resolve("corrupt");
        Files.write(corrupt, List.of(IncrementalState.HEADER, "x\t1\tA.class"), StandardCharsets.UTF_8);
        assertFalse(IncrementalState.load(corrupt).unchanged("A.class", new IncrementalState.Stamp(1, 1)));
    }

    @Test
    void testSave_pathsWithSpacesSurvive() {
        IncrementalState state = IncrementalState.empty();
        state.record("a b/C D.class", new IncrementalState.Stamp(1, 2));
        Path file = folder.resolve("state");
        state.save(file);
        assertTrue(IncrementalState.load(file).unchanged("a b/C D.class", new IncrementalState.Stamp(1, 2)));
    }
}
