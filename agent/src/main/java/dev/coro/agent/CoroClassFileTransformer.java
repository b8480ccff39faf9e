package dev.coro.agent;

import dev.coro.transform.ClassHierarchy;
import dev.coro.transform.CoroTransformer;
import dev.coro.transform.Diagnostic;
import dev.coro.transform.TransformResult;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Rewrites {@code @Async} methods as classes are loaded.
 *
 * <p>For each class: JDK and platform classes, Coro's own classes and the excluded prefixes are
 * skipped by name; then {@link CoroTransformer#mayNeedRewriting} looks at the constant pool, so
 * classes that never mention Coro cost a scan and nothing else; only then is the class parsed.
 * Returns {@code null} (no change) for everything it does not rewrite, including classes the Maven
 * plugin already rewrote (they carry the marker). A class the rewriter refuses is reported on
 * standard error with its class, method and reason, and loaded as compiled, so its first
 * {@code await} throws Coro's "not rewritten" error instead of the JVM swallowing the problem.
 */
public final class CoroClassFileTransformer implements ClassFileTransformer {
    /** Prefixes of classes never looked at: the platform's, and Coro's own runtime and tooling. */
    private static final String[] SKIPPED_PREFIXES = {
        "java/", "javax/", "jdk/", "sun/", "com/sun/",
        "dev/coro/agent/", "dev/coro/transform/", "dev/coro/spi/", "dev/coro/internal/",
    };

    private final AgentOptions options;
    private final PrintStream err;
    /**
     * One rewriter per defining loader, with {@link ClassHierarchy#fromClassLoader} (the class
     * hierarchy reader the Maven plugin uses too, over that loader's resources). Keys are weak and
     * the hierarchies hold their loader weakly, so discarded loaders are collected.
     */
    private final Map<ClassLoader, CoroTransformer> transformers = new WeakHashMap<>();
    private CoroTransformer bootstrapTransformer;

    /**
     * @param options the parsed agent options
     * @param err where reports go (standard error)
     */
    public CoroClassFileTransformer(AgentOptions options, PrintStream err) {
        this.options = options;
        this.err = err;
    }

    /**
     * Whether a class is left alone because of its name alone.
     *
     * @param internalName the class's internal name, e.g. {@code com/acme/Foo}
     * @return whether the agent skips it without reading it
     */
    public boolean skipsByName(String internalName) {
        for (String prefix : SKIPPED_PREFIXES) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        // The public API itself (dev.coro.Coro, dev.coro.Task, ...): classes directly in dev/coro/.
        if (internalName.startsWith("dev/coro/") && internalName.indexOf('/', "dev/coro/".length()) < 0) {
            return true;
        }
        for (String prefix : options.excludedPrefixes()) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || classBeingRedefined != null || skipsByName(className)) {
            return null;
        }
        // The JVM swallows whatever a transformer throws: report everything here.
        try {
            if (!CoroTransformer.mayNeedRewriting(classfileBuffer)) {
                return null;
            }
            TransformResult result = transformer(loader).transform(classfileBuffer);
            switch (result.status()) {
                case REWRITTEN -> {
                    if (options.verbose()) {
                        err.println("coro-agent: rewrote " + result.rewrittenMethods()
                                + (result.rewrittenMethods() == 1 ? " method in " : " methods in ") + className.replace('/', '.'));
                    }
                    dump(className, result.bytes());
                    return result.bytes();
                }
                case FAILED -> {
                    for (Diagnostic diagnostic : result.diagnostics()) {
                        err.println("coro-agent: cannot rewrite " + className.replace('/', '.') + "." + diagnostic.methodName()
                                + "(): " + diagnostic.format()
                                + " (the class is loaded as compiled; its await() calls will throw)");
                    }
                    return null;
                }
                case UNREADABLE -> {
                    // the JVM will refuse the bytes itself; say why they were not rewritten
                    err.println("coro-agent: " + className.replace('/', '.') + ": "
                            + result.diagnostics().get(0).message());
                    return null;
                }
                case ALREADY_REWRITTEN -> {
                    if (options.verbose()) {
                        err.println("coro-agent: already rewritten (by the Maven plugin), left alone: " + className.replace('/', '.'));
                    }
                    return null;
                }
                default -> {
                    return null;
                }
            }
        } catch (Throwable e) {
            err.println("coro-agent: the rewriter failed on " + className.replace('/', '.')
                    + " (the class is loaded as compiled; its await() calls will throw): " + e);
            e.printStackTrace(err);
            return null;
        }
    }

    private synchronized CoroTransformer transformer(ClassLoader loader) {
        if (loader == null) {
            if (bootstrapTransformer == null) {
                bootstrapTransformer = new CoroTransformer(ClassHierarchy.fromClassLoader(null));
            }
            return bootstrapTransformer;
        }
        return transformers.computeIfAbsent(loader, l -> new CoroTransformer(ClassHierarchy.fromClassLoader(l)));
    }

    private void dump(String className, byte[] bytes) {
        if (options.dumpDirectory() == null) {
            return;
        }
        Path file = options.dumpDirectory().resolve(className + ".class");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            err.println("coro-agent: cannot dump " + className.replace('/', '.') + " to " + file + ": " + e);
        }
    }
}
