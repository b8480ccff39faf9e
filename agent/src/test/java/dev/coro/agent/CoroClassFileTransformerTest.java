package dev.coro.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CoroClassFileTransformerTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CoroClassFileTransformer transformer = new CoroClassFileTransformer(
            AgentOptions.parse("exclude=com.acme.generated"), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void testSkipsByName_platformAndCoroOwnClasses() {
        for (String name : new String[] {"java/lang/String", "javax/net/X", "jdk/internal/Y", "sun/misc/Unsafe",
                "com/sun/net/httpserver/HttpServer", "dev/coro/Coro", "dev/coro/Task", "dev/coro/spi/Frame",
                "dev/coro/internal/Sneaky", "dev/coro/transform/CoroTransformer", "dev/coro/agent/CoroAgent",
                "com/acme/generated/Foo"}) {
            assertTrue(transformer.skipsByName(name), name);
        }
    }

    @Test
    void testSkipsByName_applicationClassesAreLookedAt() {
        for (String name : new String[] {"com/acme/Foo", "dev/coro/examples/ArticleExamples", "Main",
                "com/acme/other/Foo"}) {
            assertFalse(transformer.skipsByName(name), name);
        }
    }

    @Test
    void testTransform_returnsNullForSkippedAndRedefinedClasses() throws Exception {
        byte[] bytes;
        try (var in = String.class.getResourceAsStream("String.class")) {
            bytes = in.readAllBytes();
        }
        assertNull(transformer.transform(null, "java/lang/String", null, null, bytes));
        assertNull(transformer.transform(getClass().getClassLoader(), "com/acme/Foo", Object.class, null, bytes));
        assertNull(transformer.transform(getClass().getClassLoader(), null, null, null, bytes));
        assertTrue(err.toString(StandardCharsets.UTF_8).isEmpty(), err.toString(StandardCharsets.UTF_8));
    }
}
