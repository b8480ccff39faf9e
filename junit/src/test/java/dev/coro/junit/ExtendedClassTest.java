package dev.coro.junit;

import static dev.coro.Coro.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The class form: @ExtendWith(CoroExtension.class) makes @Test methods returning Coroutine Coro tests. */
@ExtendWith(CoroExtension.class)
class ExtendedClassTest {
    private final List<String> steps = new ArrayList<>();

    @BeforeEach
    void setUp() {
        steps.add("before");
    }

    @AfterEach
    void tearDown() {
        assertEquals("before", steps.get(0));
    }

    @Test
    @Async
    Coroutine<Void> aTestReturningCoroutineRuns(TestClock clock) {
        assertEquals(List.of("before"), steps);
        await(sleep(Duration.ofDays(1)));
        assertEquals(Duration.ofDays(1), clock.now());
        return done();
    }

    /** Jupiter still runs the void tests of the class. */
    @Test
    void voidTestsStillRunOnJupiter() {
        assertEquals(List.of("before"), steps);
    }
}
