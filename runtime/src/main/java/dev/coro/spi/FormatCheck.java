package dev.coro.spi;

/**
 * The load-time check of the rewritten-code format. The rewriter makes the static initializer of
 * every class it rewrites start with {@code FormatCheck.require(version, ThatClass.class)}, so a
 * class rewritten by another Coro release (whose class file layout this runtime may read wrongly:
 * slots, await-site metadata, protocol calls) fails before any of its code runs, with a message
 * saying what to do. Not meant to be called by hand.
 */
public final class FormatCheck {
    private FormatCheck() {
    }

    /**
     * Checks that {@code owner} was rewritten in this runtime's format.
     *
     * @param version the format version the rewriter wrote ({@link Rewritten#version()})
     * @param owner the rewritten class
     * @throws IncompatibleClassChangeError when {@code version} is not
     *     {@link Rewritten#CURRENT_VERSION}; its message names the class, both versions and how to
     *     rewrite the class again
     */
    public static void require(int version, Class<?> owner) {
        if (version != Rewritten.CURRENT_VERSION) {
            throw new IncompatibleClassChangeError(message(version, owner));
        }
    }

    static String message(int version, Class<?> owner) {
        String runtime = FormatCheck.class.getPackage().getImplementationVersion();
        String name = owner == null ? "a class" : owner.getName();
        return "Coro: " + name + " was rewritten in format version " + version + ", but this coro-runtime"
                + (runtime == null ? "" : " (" + runtime + ")") + " reads format version "
                + Rewritten.CURRENT_VERSION + " (FormatCheck.require(FormatCheck.java)): rebuild it with"
                + " `mvn clean package` so that the coro-maven-plugin rewrites it again with this"
                + " coro-runtime" + (runtime == null ? "" : " " + runtime) + ", or run it under the"
                + " -javaagent of the same Coro release as coro-runtime";
    }
}
