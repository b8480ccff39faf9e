package dev.coro.transform;

import dev.coro.Coroutine;
import dev.coro.spi.Frame;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/** Looks inside a coroutine's frame (the saved references), for the tests about what is kept. */
public final class Probe {
    private Probe() {
    }

    /**
     * @param coroutine a coroutine made by a rewritten method
     * @return the simple class names of the non-null saved references, in slot order
     */
    public static List<String> savedRefs(Coroutine<?> coroutine) {
        try {
            Field refs = Frame.class.getDeclaredField("refs");
            refs.setAccessible(true);
            List<String> names = new ArrayList<>();
            for (Object o : (Object[]) refs.get(coroutine)) {
                if (o != null) {
                    names.add(o.getClass().getSimpleName());
                }
            }
            return names;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** @param coroutine a coroutine made by a rewritten method @return its state number */
    public static int state(Coroutine<?> coroutine) {
        return ((Frame<?>) coroutine).state;
    }
}
