package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InteropTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testAwaitCompletionStage_doneLaterAndFailing() {
        assertEquals("[done-already]", Harness.run(loader, "Interop", "stage", true, false));
        assertEquals("[completed-later]", Harness.run(loader, "Interop", "stage", false, false));
        assertEquals("[caught future failed]", Harness.run(loader, "Interop", "stage", false, true));
    }

    @Test
    void testAwaitWithCheckedExceptionClass() {
        assertEquals("caught disk on fire", Harness.run(loader, "Interop", "checkedException", false));
        assertEquals("caught disk on fire", Harness.run(loader, "Interop", "checkedException", true));
    }

    @Test
    void testCancellationReachesCatchAndFinallyOfTheRewrittenMethod() {
        assertEquals(List.of("sleeping", "cancelled", "finally", "caller saw the cancellation"),
                Harness.run(loader, "Interop", "cancellation"));
    }
}
