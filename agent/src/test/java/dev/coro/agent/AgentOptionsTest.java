package dev.coro.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void testParse_nullAndEmptyGiveDefaults() {
        for (String text : new String[] {null, "", "  "}) {
            AgentOptions options = AgentOptions.parse(text);
            assertFalse(options.verbose());
            assertNull(options.dumpDirectory());
            assertEquals(List.of(), options.excludedPrefixes());
        }
    }

    @Test
    void testParse_allOptions() {
        AgentOptions options = AgentOptions.parse("verbose,dump=/tmp/out,exclude=com.acme.gen,exclude=org/x;org.y.");
        assertTrue(options.verbose());
        assertEquals(Path.of("/tmp/out"), options.dumpDirectory());
        assertEquals(List.of("com/acme/gen", "org/x", "org/y/"), options.excludedPrefixes());
    }

    @Test
    void testParse_unknownOptionNamesItAndListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("verbose,fast"));
        assertTrue(e.getMessage().startsWith("Unknown agent option \"fast\""), e.getMessage());
        assertTrue(e.getMessage().contains("dump=DIR"), e.getMessage());
        assertTrue(e.getMessage().contains("exclude=PREFIX"), e.getMessage());
    }

    @Test
    void testParse_missingValueIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("dump="));
        assertTrue(e.getMessage().contains("\"dump\" needs a value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("exclude"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("verbose=yes"));
    }
}
