package agentdemo;

import static dev.coro.Coro.await;
import static dev.coro.Coro.sleep;

import java.time.Duration;

/**
 * Compiled without the Coro plugin, with an {@code await} in a method that is not {@code @Async}:
 * the agent refuses the class (and says so on standard error), the class loads as compiled and
 * the await throws Coro's "not rewritten" error.
 */
public final class AwaitOutsideAsync {
    private AwaitOutsideAsync() {
    }

    static void notAsync() {
        await(sleep(Duration.ofMillis(1)));
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        try {
            notAsync();
            System.out.println("await returned (wrong)");
        } catch (IllegalStateException e) {
            System.out.println("IllegalStateException: " + e.getMessage());
        }
    }
}
