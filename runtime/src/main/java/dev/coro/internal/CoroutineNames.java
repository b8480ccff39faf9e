package dev.coro.internal;

import dev.coro.spi.AwaitSites;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the method a coroutine body runs ({@code com.acme.Deep.level5}, file {@code Deep.java}),
 * for task dumps, {@code Frame.toString()} and diagnostics. Resolved once per body class, on
 * first use (a {@link ClassValue}): nothing is computed until someone asks for a description.
 *
 * <p>How. The rewriter binds each {@code @Async} method's resume code, a
 * {@code private static synthetic Object m(Frame)} of the same class (named {@code m}, or
 * {@code m$2}, {@code m$3} for overloads), to {@link CoroutineBody} with a non-capturing
 * {@code invokedynamic} lambda, whose hidden class is named {@code Owner$$Lambda...}. The lambda
 * does not tell which method it calls, so:
 * <ol>
 *   <li>the owner is the class named before {@code $$Lambda};</li>
 *   <li>the candidates are its static {@code (Frame)Object} methods that are resume methods of
 *   the rewriter: each has a stub sibling of the same base name returning a {@code Coroutine};</li>
 *   <li>one candidate: that is the method. Several: the body is <i>probed</i> with a frame in
 *   state -1. Rewritten code starts with {@code tableswitch(frame.state)} whose default throws
 *   {@code IllegalStateException("Coro: Owner.m resumed in a state ...")} before any line of the
 *   user's method runs; the exception's top stack frame is the resume method. The probe is only
 *   made when every {@code (Frame)Object} method of the owner is a rewriter resume method, so a
 *   hand-written lambda (which could run code in any state) is never probed.</li>
 * </ol>
 * Bodies that are ordinary classes (the runtime's own {@code Combinators$TimeoutBody},
 * {@code StreamReader$Read}, ...) are named by their class.
 *
 * <p>Lines. The resume method, once found, may carry {@link AwaitSites} (the rewriter writes it):
 * its source method name, file, first line and the line of each await site. Then a frame in state
 * {@code k} is described as {@code com.acme.Deep.level5(Deep.java:18)}, 18 being the line of the
 * await it is suspended at, and a frame not started yet by the method's first line. Without the
 * annotation (classes rewritten before it existed, hand-written bodies) the description falls back
 * to the await site's number: {@code com.acme.Deep.level5(Deep.java) await #2}.
 */
public final class CoroutineNames {
    private CoroutineNames() {
    }

    /** Where a body's code lives. */
    public static final class Site {
        /** The class declaring the method (binary name). */
        public final String className;
        /** The source method's name, or null when only the class is known. */
        public final String methodName;
        /** The source file name ({@code Deep.java}), or null. */
        public final String fileName;
        /** The method's first line, or -1 when not known. */
        public final int firstLine;
        /** The await sites' lines ({@link AwaitSites#lines()}), or null when not known. */
        private final int[] lines;

        Site(String className, String methodName, String fileName) {
            this(className, methodName, fileName, -1, null);
        }

        Site(String className, String methodName, String fileName, int firstLine, int[] lines) {
            this.className = className;
            this.methodName = methodName;
            this.fileName = fileName;
            this.firstLine = firstLine;
            this.lines = lines;
        }

        /**
         * @return true when the rewriter recorded this method's lines ({@link AwaitSites})
         */
        public boolean hasLines() {
            return lines != null;
        }

        /**
         * The line a frame of this method in {@code state} is at: the line of await site
         * {@code state}, or the method's first line for state 0.
         *
         * @param state a frame's state
         * @return the line, or -1 when not known
         */
        public int lineAt(int state) {
            if (state == 0) {
                return firstLine;
            }
            int[] l = lines;
            return l != null && state > 0 && state <= l.length ? l[state - 1] : -1;
        }

        /**
         * A stack trace element for a frame of this method in {@code state}, as the JDK prints
         * it: {@code com.acme.Deep.level5(Deep.java:18)}.
         *
         * @param state a frame's state
         * @return the element
         */
        public StackTraceElement element(int state) {
            return new StackTraceElement(className, methodName == null ? "<coroutine>" : methodName,
                    fileName, lineAt(state));
        }

        /**
         * @param state a frame's state
         * @return {@code com.acme.Deep.level5 at Deep.java:18}, or without the line, or the
         *     qualified name alone when the file is not known
         */
        public String at(int state) {
            if (fileName == null) {
                return qualifiedName();
            }
            int line = lineAt(state);
            return qualifiedName() + " at " + fileName + (line >= 0 ? ":" + line : "");
        }

        /**
         * @return {@code com.acme.Deep.level5}, or the class name alone
         */
        public String qualifiedName() {
            return methodName == null ? className : className + "." + methodName;
        }

        @Override
        public String toString() {
            return qualifiedName() + (fileName == null ? "" : " (" + fileName + ")");
        }
    }

    private static final ClassValue<Site> SITES = new ClassValue<>() {
        @Override
        protected Site computeValue(Class<?> type) {
            return resolve(type, null);
        }
    };

    /**
     * @param body a coroutine body
     * @return where its code lives
     */
    public static Site site(CoroutineBody body) {
        Class<?> type = body.getClass();
        Site cached = SITES.get(type);
        if (cached.fileName == PROBE_NEEDED) {
            return probe(body, cached);
        }
        return cached;
    }

    /**
     * Describes one suspended (or not yet started) coroutine as a stack line:
     * {@code com.acme.Deep.level5(Deep.java) await #2}.
     *
     * @param body the body
     * @param state the frame's state
     * @return the description
     */
    public static String stackLine(CoroutineBody body, int state) {
        Site s = site(body);
        StringBuilder out = new StringBuilder(s.qualifiedName());
        if (s.hasLines()) {
            // com.acme.Deep.level5(Deep.java:18), as a JDK stack trace line
            int line = s.lineAt(state);
            out.append('(').append(s.fileName == null ? "Unknown Source" : s.fileName);
            if (s.fileName != null && line >= 0) {
                out.append(':').append(line);
            }
            out.append(')');
            return state == 0 ? out.append(" not started").toString() : out.toString();
        }
        if (s.fileName != null) {
            out.append('(').append(s.fileName).append(')');
        }
        return out.append(state == 0 ? " not started" : " await #" + state).toString();
    }

    /**
     * Describes a coroutine object as {@code Coroutine[com.acme.Deep.level5 at Deep.java:18]}
     * (suspended at the await of line 18), {@code Coroutine[com.acme.Deep.level5 at Deep.java:12,
     * not started]}, or, without await-site lines, {@code Coroutine[com.acme.Deep.level5, await #2]}.
     *
     * @param body the body
     * @param state the frame's state
     * @return the description
     */
    public static String describe(CoroutineBody body, int state) {
        Site s = site(body);
        String started = state == 0 ? ", not started]" : "]";
        if (s.hasLines()) {
            return "Coroutine[" + s.at(state) + started;
        }
        return "Coroutine[" + s.qualifiedName() + (state == 0 ? started : ", await #" + state + "]");
    }

    /**
     * Describes one frame of a task's chain, as {@link #stackLine(CoroutineBody, int)}; a
     * runtime {@code Lazy} coroutine is named by the code that makes its awaitable
     * ({@code dev.coro.internal.io.SockOps}, ...).
     *
     * @param frame the frame
     * @return the description
     */
    public static String stackLine(Frame<?> frame) {
        CoroutineBody body = FrameAccess.get().body(frame);
        if (body.getClass() == LAZY_BODY) {
            String maker = lazyMaker(body);
            if (maker != null) {
                return maker + (frame.state == 0 ? " not started" : " await #" + frame.state);
            }
        }
        return stackLine(body, frame.state);
    }

    /**
     * Where the coroutine whose frame is {@code caller} is running now, for error messages about
     * what it just called: {@code com.acme.Foo.bar(Foo.java:12)}, the source method's name with
     * the line of the innermost Java frame of that method's class. It walks the stack: call it
     * only to build an error.
     *
     * @param caller the frame of the coroutine that made the call
     * @return the call site
     */
    public static String callSite(Frame<?> caller) {
        Site site = site(FrameAccess.get().body(caller));
        StackWalker.StackFrame call = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().equals(site.className))
                .findFirst().orElse(null));
        String method = site.qualifiedName();
        if (call == null) {
            return method + (site.fileName == null ? "" : "(" + site.fileName + ")");
        }
        String file = call.getFileName() != null ? call.getFileName() : site.fileName;
        return method + "(" + (file == null ? "Unknown Source" : file)
                + (call.getLineNumber() >= 0 ? ":" + call.getLineNumber() : "") + ")";
    }

    private static final Class<?> LAZY_BODY = lazyBodyClass();

    private static Class<?> lazyBodyClass() {
        for (Class<?> c : Lazy.class.getDeclaredClasses()) {
            if (c.getSimpleName().equals("Body")) {
                return c;
            }
        }
        return null;
    }

    private static String lazyMaker(CoroutineBody body) {
        try {
            for (java.lang.reflect.Field f : body.getClass().getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true); // same module
                    Object start = f.get(body);
                    if (start != null) {
                        String n = start.getClass().getName();
                        int lambda = n.indexOf("$$Lambda");
                        return (lambda < 0 ? n : n.substring(0, lambda)) + " (lazy)";
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // fall back to the body's class
        }
        return null;
    }

    /** Marker in {@link Site#fileName} of a lambda class whose method only a probe can tell. */
    private static final String PROBE_NEEDED = new String("<probe>");

    private static Site resolve(Class<?> type, Object unused) {
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda < 0) {
            // A body class of its own (the runtime's hand-written coroutines): its name says it.
            return new Site(name, null, null);
        }
        String ownerName = name.substring(0, lambda);
        Class<?> owner;
        try {
            owner = Class.forName(ownerName, false, type.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return new Site(ownerName, null, null);
        }
        if (type.getDeclaredFields().length > 0 && !onlyStaticFields(type)) {
            return new Site(ownerName, null, null); // a capturing lambda: not the rewriter's
        }
        List<Method> resumes = new ArrayList<>();
        boolean allAreResumes = true;
        Method[] methods;
        try {
            methods = owner.getDeclaredMethods();
        } catch (LinkageError e) {
            return new Site(ownerName, null, null);
        }
        for (Method m : methods) {
            if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Object.class
                    && m.getParameterCount() == 1 && m.getParameterTypes()[0] == Frame.class) {
                if (hasStub(methods, m)) {
                    resumes.add(m);
                } else {
                    allAreResumes = false;
                }
            }
        }
        if (resumes.size() == 1) {
            Site annotated = annotated(ownerName, resumes.get(0));
            if (annotated != null) {
                return annotated; // the rewriter's record: no probe needed
            }
        }
        if (!resumes.isEmpty() && allAreResumes) {
            // The probe also tells the file name; with one candidate it cannot name another method.
            String only = resumes.size() == 1 ? sourceName(methods, resumes.get(0).getName()) : null;
            return new Site(ownerName, only, PROBE_NEEDED);
        }
        return new Site(ownerName, null, null);
    }

    /** The site as the rewriter recorded it on the resume method, or null without {@link AwaitSites}. */
    private static Site annotated(String ownerName, Method resume) {
        AwaitSites sites;
        try {
            sites = resume.getAnnotation(AwaitSites.class);
        } catch (RuntimeException | LinkageError e) {
            return null; // a malformed annotation: describe without lines
        }
        if (sites == null) {
            return null;
        }
        String file = sites.file().isEmpty() ? null : sites.file();
        return new Site(ownerName, sites.method(), file, sites.line(), sites.lines().clone());
    }

    /** The resume method of {@code owner} named {@code name}, or null. */
    private static Method resumeMethod(String ownerName, ClassLoader loader, String name) {
        try {
            Class<?> owner = Class.forName(ownerName, false, loader);
            return owner.getDeclaredMethod(name, Frame.class);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static boolean onlyStaticFields(Class<?> type) {
        for (java.lang.reflect.Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** A rewriter resume method {@code m} or {@code m$2} has a stub {@code m(...)} returning a Coroutine. */
    private static boolean hasStub(Method[] methods, Method resume) {
        return sourceName(methods, resume.getName()) != null;
    }

    private static String sourceName(Method[] methods, String resumeName) {
        String base = resumeName;
        int dollar = resumeName.lastIndexOf('$');
        if (dollar > 0 && resumeName.substring(dollar + 1).chars().allMatch(Character::isDigit)) {
            base = resumeName.substring(0, dollar);
        }
        for (Method m : methods) {
            if ((m.getName().equals(base) || m.getName().equals(resumeName))
                    && dev.coro.Coroutine.class.isAssignableFrom(m.getReturnType())
                    && !(m.getParameterCount() == 1 && m.getParameterTypes()[0] == Frame.class)) {
                return m.getName();
            }
        }
        return null;
    }

    /** Per body class, the probed result (the probe runs once per class). */
    private static final ClassValue<Site[]> PROBED = new ClassValue<>() {
        @Override
        protected Site[] computeValue(Class<?> type) {
            return new Site[1];
        }
    };

    private static final Object PROBE_OWNER = new Object() {
        @Override
        public String toString() {
            return "<name probe>";
        }
    };

    private static Site probe(CoroutineBody body, Site unresolved) {
        Site[] cell = PROBED.get(body.getClass());
        Site s = cell[0];
        if (s != null) {
            return s;
        }
        s = new Site(unresolved.className, unresolved.methodName, null);
        Frame<Object> probe = new Frame<>(body, 0, 0);
        probe.state = -1;
        FrameAccess.get().setOwner(probe, PROBE_OWNER); // started, as far as never-awaited tracking goes
        try {
            body.resume(probe);
        } catch (IllegalStateException e) {
            StackTraceElement[] trace = e.getStackTrace();
            String message = e.getMessage();
            if (trace.length > 0 && message != null && message.startsWith("Coro: ")
                    && trace[0].getClassName().equals(unresolved.className)) {
                String method = trace[0].getMethodName();
                int resumed = message.indexOf(" resumed in a state");
                if (resumed > 0) {
                    String qualified = message.substring("Coro: ".length(), resumed);
                    int dot = qualified.lastIndexOf('.');
                    method = qualified.substring(dot + 1);
                }
                Method resume = resumeMethod(unresolved.className, body.getClass().getClassLoader(),
                        trace[0].getMethodName());
                Site annotated = resume == null ? null : annotated(unresolved.className, resume);
                s = annotated != null ? annotated : new Site(unresolved.className, method, trace[0].getFileName());
            }
        } catch (Throwable e) {
            // not a rewritten body after all: keep the class name
        }
        cell[0] = s;
        return s;
    }
}
