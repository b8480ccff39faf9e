package dev.coro.transform;

/**
 * One site the rewriter refused, with where it is and what to do.
 *
 * @param className internal name of the class, e.g. {@code com/acme/Foo}
 * @param sourceFile the class's {@code SourceFile} attribute, e.g. {@code Foo.java}, or {@code null}
 * @param line the source line, or {@code -1} when unknown
 * @param methodName the method's name
 * @param methodDescriptor the method's descriptor
 * @param message what is wrong and what to do, e.g. {@code await() in Foo.bar(), which is not
 *     @Async: add @Async or move the await into an @Async method}
 */
public record Diagnostic(String className, String sourceFile, int line, String methodName,
                         String methodDescriptor, String message) {

    /**
     * The source path relative to a source root, as javac reports it: the class's package folder
     * plus its source file, e.g. {@code com/acme/Foo.java}; falls back to the class name.
     *
     * @return the relative source path
     */
    public String sourcePath() {
        int slash = className.lastIndexOf('/');
        String pkg = slash < 0 ? "" : className.substring(0, slash + 1);
        String file = sourceFile != null ? sourceFile : className.substring(slash + 1) + ".class";
        return pkg + file;
    }

    /**
     * Formats the diagnostic the way javac does, {@code com/acme/Foo.java:42: message}, so IDEs
     * and terminals make it clickable.
     *
     * @return the formatted line
     */
    public String format() {
        return sourcePath() + ":" + (line < 0 ? "?" : Integer.toString(line)) + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
