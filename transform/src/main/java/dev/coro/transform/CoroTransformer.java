package dev.coro.transform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The rewriter's one entry point: class-file bytes in, rewritten bytes out, plus diagnostics.
 * Thread-safe and stateless between calls; never loads application classes.
 *
 * <p>What it does to a class, in order:
 * <ol>
 *   <li>a class carrying {@code @dev.coro.spi.Rewritten} is returned as is
 *   ({@link TransformResult.Status#ALREADY_REWRITTEN});</li>
 *   <li>every method is checked: {@code @Async} must be on a concrete, non-constructor method
 *   returning {@code dev.coro.Coroutine}; {@code Coro.await} may only be called in such a method
 *   or in an async lambda (a synthetic {@code lambda$...} method returning {@code Coroutine});
 *   {@code Coro::await} may not be used as a method reference. Each violation is one
 *   {@link Diagnostic} and the class is {@link TransformResult.Status#FAILED};</li>
 *   <li>each {@code @Async} method and async lambda becomes a stub plus a resume method (see
 *   {@code dev.coro.spi.Frame} for the protocol), the class gets the marker, and stack map frames
 *   are computed with the {@link ClassHierarchy} (no class is loaded).</li>
 * </ol>
 */
public final class CoroTransformer {
    private static final byte[] CORO = Names.CORO.getBytes(StandardCharsets.UTF_8);
    private static final byte[] ASYNC = "dev/coro/Async".getBytes(StandardCharsets.UTF_8);

    private final ClassHierarchy hierarchy;
    private final int minSavesSpared;
    /** Whether discarded {@code Coroutine} results are reported (see {@link #reportingNeverAwaited()}). */
    private final boolean neverAwaited;

    /**
     * @param hierarchy where to look up classes when stack map frames need a common super type;
     *     {@code null} means only the running JDK's classes are known
     */
    public CoroTransformer(ClassHierarchy hierarchy) {
        this(hierarchy, AsyncMethodRewriter.MIN_SAVES_SPARED);
    }

    /**
     * For the rewriter's tests: how many local saves await sites must spare before they share
     * their save and restore code; 0 makes every site that can share do so.
     */
    CoroTransformer(ClassHierarchy hierarchy, int minSavesSpared) {
        this(hierarchy, minSavesSpared, false);
    }

    private CoroTransformer(ClassHierarchy hierarchy, int minSavesSpared, boolean neverAwaited) {
        this.hierarchy = hierarchy;
        this.minSavesSpared = minSavesSpared;
        this.neverAwaited = neverAwaited;
    }

    /**
     * A transformer that also reports, in {@link TransformResult#warnings()}, every call in any
     * method of the class (not only {@code @Async} ones) whose {@code dev.coro.Coroutine} result
     * is thrown away ({@code fetch(url);} as a statement: the invoke is followed by {@code pop}).
     * Such a coroutine never runs. {@code Coro.done(...)} is not reported: its coroutine has
     * nothing left to run. {@code Task} and {@code Promise} results are not reported either: a
     * task runs whether or not it is awaited. Nor is a call in a lambda given to JUnit's or AssertJ's
     * "assert it throws" ({@code assertThrows(X.class, () -> call())}): it is meant to throw. The
     * Maven plugin uses this; the agent does not.
     *
     * @return a transformer like this one that reports never-awaited coroutines
     */
    public CoroTransformer reportingNeverAwaited() {
        return new CoroTransformer(hierarchy, minSavesSpared, true);
    }

    /**
     * Quick test on the raw bytes: whether the constant pool has a method descriptor returning
     * {@code dev.coro.Coroutine}, so that a class may throw such a result away. Classes for which
     * both this and {@link #mayNeedRewriting} are false need no look for never-awaited coroutines.
     *
     * @param classFile the class file
     * @return whether the class may call a method returning a coroutine
     */
    public static boolean mayCallCoroutines(byte[] classFile) {
        return anyUtf8Constant(classFile, (bytes, start, length) -> contains(bytes, start, length, RETURNS_COROUTINE));
    }

    private static final byte[] RETURNS_COROUTINE = ")Ldev/coro/Coroutine;".getBytes(StandardCharsets.UTF_8);

    /**
     * Quick test on the raw bytes, before any parsing: whether the constant pool mentions Coro at
     * all ({@code dev/coro/Async} or {@code dev/coro/Coro}). Classes for which this is false are
     * returned unchanged by {@link #transform(byte[])}; the agent uses it to skip unrelated classes
     * cheaply.
     *
     * @param classFile the class file
     * @return whether the class may need rewriting; {@code false} for bytes that are not a class
     *     file
     */
    public static boolean mayNeedRewriting(byte[] classFile) {
        return anyUtf8Constant(classFile,
                (bytes, start, length) -> isCoroClassName(bytes, start, length) || contains(bytes, start, length, ASYNC));
    }

    /** A test on one {@code CONSTANT_Utf8} entry: its bytes are {@code bytes[start, start + length)}. */
    @FunctionalInterface
    private interface Utf8Test {
        boolean test(byte[] bytes, int start, int length);
    }

    /**
     * Walks the constant pool of a raw class file without parsing the rest.
     *
     * @return whether some {@code CONSTANT_Utf8} entry passes {@code test}; {@code false} for
     *     bytes that are not a class file, or a constant pool this walk does not understand
     */
    private static boolean anyUtf8Constant(byte[] classFile, Utf8Test test) {
        try {
            if (classFile.length < 10 || readInt(classFile, 0) != 0xCAFEBABE) {
                return false;
            }
            int count = readShort(classFile, 8);
            int offset = 10;
            for (int index = 1; index < count; index++) {
                int tag = classFile[offset] & 0xFF;
                switch (tag) {
                    case 1 -> { // Utf8
                        int length = readShort(classFile, offset + 1);
                        int start = offset + 3;
                        if (test.test(classFile, start, length)) {
                            return true;
                        }
                        offset = start + length;
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> offset += 5;
                    case 5, 6 -> { // Long and Double take two entries
                        offset += 9;
                        index++;
                    }
                    case 7, 8, 16, 19, 20 -> offset += 3;
                    case 15 -> offset += 4;
                    default -> {
                        return false; // not a constant pool we understand
                    }
                }
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return false;
        }
    }

    private static boolean isCoroClassName(byte[] bytes, int start, int length) {
        // exactly "dev/coro/Coro" (the class constant's name), not "dev/coro/Coroutine"
        return length == CORO.length && contains(bytes, start, length, CORO);
    }

    private static boolean contains(byte[] bytes, int start, int length, byte[] needle) {
        outer:
        for (int i = start, end = start + length - needle.length; i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int readShort(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    private static int readInt(byte[] bytes, int offset) {
        return (readShort(bytes, offset) << 16) | readShort(bytes, offset + 2);
    }

    /**
     * The message of an {@link TransformResult.Status#UNREADABLE} result, ahead of the detail. The
     * plugin and the agent print it as it is.
     */
    public static final String UNREADABLE_MESSAGE =
            "unreadable class file (stale or broken build; try mvn clean)";

    /**
     * Rewrites the {@code @Async} methods and async lambdas of one class.
     *
     * @param classFile the class file
     * @return the result; never throws for bad user code (that is reported as diagnostics) nor for
     *     bytes that are not a readable class file ({@link TransformResult.Status#UNREADABLE})
     */
    public TransformResult transform(byte[] classFile) {
        if (classFile.length < 4 || readInt(classFile, 0) != 0xCAFEBABE) {
            return unreadable(classFile, "no CAFEBABE magic number: not a class file");
        }
        boolean rewritable = mayNeedRewriting(classFile);
        if (!rewritable && !(neverAwaited && mayCallCoroutines(classFile))) {
            return new TransformResult(TransformResult.Status.UNCHANGED, classFile, 0, List.of());
        }
        ClassNode node = new ClassNode();
        try {
            // frames are kept: methods that are not rewritten are written back exactly as they were
            new ClassReader(classFile).accept(node, 0);
        } catch (RuntimeException e) {
            // ASM reads past the end of a truncated file (ArrayIndexOutOfBoundsException) or finds
            // an offset or constant it cannot decode (IllegalArgumentException and others)
            return unreadable(classFile, classFile.length + " bytes, " + e);
        }
        if (hasAnnotation(node.invisibleAnnotations, Names.REWRITTEN_DESC)
                || hasAnnotation(node.visibleAnnotations, Names.REWRITTEN_DESC)) {
            int version = markerVersion(node);
            if (version != Names.FORMAT_VERSION) {
                // rewritten by another release: format 1 classes have no load-time check of their own
                return new TransformResult(TransformResult.Status.FAILED, classFile, 0, List.of(new Diagnostic(
                        node.name, node.sourceFile, -1, "<class>", "", Names.simpleName(node.name)
                        + " was rewritten by another Coro release (format version " + version + "; this rewriter"
                        + " writes and this coro-runtime reads version " + Names.FORMAT_VERSION + "), a stale"
                        + " build: run `mvn clean package` to compile and rewrite it again")));
            }
            return new TransformResult(TransformResult.Status.ALREADY_REWRITTEN, classFile, 0, List.of());
        }
        List<Diagnostic> warnings = neverAwaited ? neverAwaited(node) : List.of();
        if (!rewritable) {
            return new TransformResult(TransformResult.Status.UNCHANGED, classFile, 0, List.of()).withWarnings(warnings);
        }
        return rewriteParsed(classFile, node).withWarnings(warnings);
    }

    private TransformResult rewriteParsed(byte[] classFile, ClassNode node) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<MethodNode> toRewrite = new ArrayList<>();
        for (MethodNode method : node.methods) {
            check(node, method, diagnostics, toRewrite);
        }
        if (toRewrite.isEmpty() && diagnostics.isEmpty()) {
            return new TransformResult(TransformResult.Status.UNCHANGED, classFile, 0, List.of());
        }
        try {
            return rewrite(classFile, node, toRewrite, diagnostics);
        } catch (RuntimeException | LinkageError internal) {
            // a bug of the rewriter, not of the user's code: fail this class clearly, never crash
            // the build or the agent, and never hand out half-rewritten bytes
            StackTraceElement[] trace = internal.getStackTrace();
            String where = trace.length == 0 ? "" : " at " + trace[0];
            return new TransformResult(TransformResult.Status.FAILED, classFile, 0, List.of(new Diagnostic(
                    node.name, node.sourceFile, -1, "<class>", "", "Coro could not rewrite "
                    + Names.simpleName(node.name) + " (internal error: " + internal + where
                    + "); please report it with this class file")));
        }
    }

    /**
     * The calls of any method of the class whose {@code Coroutine} result is popped right away
     * (javac and ECJ both compile {@code fetch(url);} to the invoke followed by {@code pop}), or
     * left on the stack by a {@code return} from a void method (ECJ's {@code () -> fetch(url)}
     * for a {@code Runnable}).
     */
    private static List<Diagnostic> neverAwaited(ClassNode node) {
        List<Diagnostic> found = new ArrayList<>();
        Set<String> expectedToThrow = lambdasExpectedToThrow(node);
        for (MethodNode method : node.methods) {
            if (expectedToThrow.contains(method.name + method.desc)) {
                continue; // assertThrows(X.class, () -> call()): the call is meant to throw
            }
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                // javac drops a result with pop; ECJ's expression lambda for a void interface
                // (`() -> fetch(url)`) returns with the result still on the stack
                if (!(insn instanceof MethodInsnNode call) || insn.getNext() == null
                        || (insn.getNext().getOpcode() != Opcodes.POP && insn.getNext().getOpcode() != Opcodes.RETURN)) {
                    continue;
                }
                String returned = Type.getReturnType(call.desc).getDescriptor();
                if (!returned.equals("L" + Names.COROUTINE + ";") && !returned.equals(Names.FRAME_DESC)) {
                    continue;
                }
                if (Names.isDone(call)) {
                    continue; // done(v) has nothing left to run
                }
                String callee = Names.simpleName(call.owner).replace('$', '.') + "." + call.name + "(...)";
                found.add(new Diagnostic(node.name, node.sourceFile, Names.lineOf(call), method.name, method.desc,
                        "the coroutine returned by " + callee + " is never awaited: await it, or spawn it"
                                + " (Coro.spawn / createTask) to run it in the background"));
            }
        }
        return found;
    }

    /**
     * Functional interfaces of test libraries whose lambdas are run to see them throw
     * ({@code assertThrows(IllegalArgumentException.class, () -> loop.sockRecv(c, 1))}): a call
     * whose coroutine such a lambda drops is not a forgotten await.
     */
    private static final Set<String> THROWING_LAMBDAS = Set.of(
            "org/junit/jupiter/api/function/Executable",                // JUnit 5 assertThrows
            "org/junit/function/ThrowingRunnable",                       // JUnit 4.13 assertThrows
            "org/assertj/core/api/ThrowableAssert$ThrowingCallable");     // AssertJ assertThatThrownBy

    /** The lambda bodies of this class (name + descriptor) made into {@link #THROWING_LAMBDAS}. */
    private static Set<String> lambdasExpectedToThrow(ClassNode node) {
        Set<String> bodies = new HashSet<>();
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof InvokeDynamicInsnNode indy
                        && indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")
                        && THROWING_LAMBDAS.contains(Type.getReturnType(indy.desc).getInternalName())
                        && indy.bsmArgs.length > 1 && indy.bsmArgs[1] instanceof Handle body
                        && body.getOwner().equals(node.name)) {
                    bodies.add(body.getName() + body.getDesc());
                }
            }
        }
        return bodies;
    }

    private static TransformResult unreadable(byte[] classFile, String detail) {
        return new TransformResult(TransformResult.Status.UNREADABLE, classFile, 0, List.of(new Diagnostic(
                classNameOf(classFile), null, -1, "<class>", "", UNREADABLE_MESSAGE + ": " + detail)));
    }

    /**
     * The class's name from the header of a class file that may be cut short anywhere after it.
     * ASM's {@code ClassReader} needs the whole file, so the constant pool is walked here.
     *
     * @return the internal name, or {@code ""} when the header itself is unreadable
     */
    private static String classNameOf(byte[] classFile) {
        try {
            int count = readShort(classFile, 8);
            int[] offsets = new int[count];
            int offset = 10;
            for (int index = 1; index < count; index++) {
                offsets[index] = offset;
                int tag = classFile[offset] & 0xFF;
                switch (tag) {
                    case 1 -> offset += 3 + readShort(classFile, offset + 1);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> offset += 5;
                    case 5, 6 -> {
                        offset += 9;
                        index++;
                    }
                    case 7, 8, 16, 19, 20 -> offset += 3;
                    case 15 -> offset += 4;
                    default -> {
                        return "";
                    }
                }
            }
            int classEntry = offsets[readShort(classFile, offset + 2)];
            int nameEntry = offsets[readShort(classFile, classEntry + 1)];
            int length = readShort(classFile, nameEntry + 1);
            return new String(classFile, nameEntry + 3, length, StandardCharsets.UTF_8);
        } catch (ArrayIndexOutOfBoundsException e) {
            return "";
        }
    }

    private TransformResult rewrite(byte[] classFile, ClassNode node, List<MethodNode> toRewrite,
                                    List<Diagnostic> diagnostics) {
        HierarchyView view = new HierarchyView(hierarchy, new ClassHierarchy.ClassInfo(node.name,
                node.superName, node.interfaces.toArray(new String[0]), (node.access & Opcodes.ACC_INTERFACE) != 0,
                node.access));
        Set<String> usedResumeNames = new HashSet<>();
        for (MethodNode method : node.methods) {
            if (method.desc.equals(Names.RESUME_DESC)) {
                usedResumeNames.add(method.name);
            }
        }
        List<MethodNode> resumes = new ArrayList<>();
        for (MethodNode method : toRewrite) {
            String resumeName = method.name;
            for (int n = 2; usedResumeNames.contains(resumeName); n++) {
                resumeName = method.name + "$" + n; // overloads: m, m$2, m$3 ...
            }
            usedResumeNames.add(resumeName);
            AsyncMethodRewriter rewriter = new AsyncMethodRewriter(node, method, view, diagnostics, resumeName, minSavesSpared);
            if (rewriter.rewrite()) {
                resumes.add(rewriter.resume);
            }
        }
        if (!diagnostics.isEmpty()) {
            return new TransformResult(TransformResult.Status.FAILED, classFile, 0, List.copyOf(diagnostics));
        }
        // Order is important here: the resume methods must exist (for the stubs' handles) before
        // frames are computed, but computing frames needs no other method of the class.
        boolean oldClassFile = (node.version & 0xFFFF) < Opcodes.V1_8;
        if (!oldClassFile) {
            List<MethodNode> changed = new ArrayList<>(toRewrite);
            changed.addAll(resumes);
            for (MethodNode method : changed) {
                MethodNode withFrames = withComputedFrames(node, method, view, toRewrite, diagnostics);
                if (withFrames != null) {
                    replace(method, withFrames, node, resumes);
                }
            }
        }
        if (!diagnostics.isEmpty()) {
            return new TransformResult(TransformResult.Status.FAILED, classFile, 0, List.copyOf(diagnostics));
        }
        node.methods.addAll(resumes);
        if (node.invisibleAnnotations == null) {
            node.invisibleAnnotations = new ArrayList<>();
        }
        AnnotationNode marker = new AnnotationNode(Names.REWRITTEN_DESC);
        marker.visit("version", Names.FORMAT_VERSION);
        node.invisibleAnnotations.add(marker);
        addFormatCheck(node);

        ClassWriter writer;
        if (oldClassFile) {
            // before Java 8: no (or optional) stack map frames, no invokedynamic; move the class to
            // Java 8 and compute the frames of every method
            node.version = Opcodes.V1_8;
            stripFrames(node);
            writer = new HierarchyClassWriter(view, ClassWriter.COMPUTE_FRAMES);
        } else {
            writer = new HierarchyClassWriter(view, 0);
        }
        try {
            node.accept(writer);
            byte[] bytes = writer.toByteArray();
            Diagnostic unknown = unknownClasses(node, view);
            if (unknown != null) {
                return new TransformResult(TransformResult.Status.FAILED, classFile, 0, List.of(unknown));
            }
            return new TransformResult(TransformResult.Status.REWRITTEN, bytes, toRewrite.size(), List.of());
        } catch (MethodTooLargeException e) {
            diagnostics.add(tooLarge(node, toRewrite, e));
            return new TransformResult(TransformResult.Status.FAILED, classFile, 0, List.copyOf(diagnostics));
        } catch (ClassTooLargeException e) {
            diagnostics.add(new Diagnostic(node.name, node.sourceFile, -1, "<class>", "",
                    Names.simpleName(node.name) + " is too large once rewritten (constant pool): split the class"));
            return new TransformResult(TransformResult.Status.FAILED, classFile, 0, List.copyOf(diagnostics));
        }
    }

    /**
     * Makes the class's static initializer start with
     * {@code FormatCheck.require(FORMAT_VERSION, ThisClass.class)}, so that a class rewritten for
     * another runtime fails when it is initialized (that is, before any of its code runs) with a
     * message saying what to do. The prepended code is straight-line and leaves the stack empty,
     * so the initializer's existing stack map frames stay valid.
     */
    private static void addFormatCheck(ClassNode node) {
        MethodNode clinit = null;
        for (MethodNode method : node.methods) {
            if (method.name.equals("<clinit>")) {
                clinit = method;
                break;
            }
        }
        if (clinit == null) {
            clinit = new MethodNode(Opcodes.ASM9, Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            clinit.instructions.add(new InsnNode(Opcodes.RETURN));
            clinit.maxStack = 0;
            clinit.maxLocals = 0;
            node.methods.add(clinit);
        }
        InsnList check = new InsnList();
        check.add(AsyncMethodRewriter.pushInt(Names.FORMAT_VERSION));
        check.add(new LdcInsnNode(Type.getObjectType(node.name)));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.FORMAT_CHECK, "require",
                "(ILjava/lang/Class;)V", false));
        clinit.instructions.insert(check);
        clinit.maxStack = Math.max(clinit.maxStack, 2);
    }

    /**
     * Computes the stack map frames (and max stack/locals) of one rewritten method alone, in a
     * scratch class with the same header, and reads it back.
     *
     * @return the method with frames, or {@code null} after adding a diagnostic
     */
    private static MethodNode withComputedFrames(ClassNode node, MethodNode method, HierarchyView view,
                                                 List<MethodNode> originals, List<Diagnostic> diagnostics) {
        ClassWriter scratch = new HierarchyClassWriter(view, ClassWriter.COMPUTE_FRAMES);
        scratch.visit(node.version, node.access, node.name, null, node.superName,
                node.interfaces.toArray(new String[0]));
        try {
            method.accept(scratch);
            scratch.visitEnd();
            byte[] bytes = scratch.toByteArray();
            ClassNode read = new ClassNode();
            new ClassReader(bytes).accept(read, 0);
            return read.methods.get(0);
        } catch (MethodTooLargeException e) {
            diagnostics.add(tooLarge(node, originals, e));
            return null;
        }
    }

    private static void replace(MethodNode old, MethodNode fresh, ClassNode node, List<MethodNode> resumes) {
        int index = node.methods.indexOf(old);
        if (index >= 0) {
            node.methods.set(index, fresh);
            return;
        }
        index = resumes.indexOf(old);
        if (index >= 0) {
            resumes.set(index, fresh);
        }
    }

    private static void stripFrames(ClassNode node) {
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; ) {
                AbstractInsnNode next = insn.getNext();
                if (insn instanceof FrameNode) {
                    method.instructions.remove(insn);
                }
                insn = next;
            }
        }
    }

    private static Diagnostic tooLarge(ClassNode node, List<MethodNode> originals, MethodTooLargeException e) {
        MethodNode method = findOriginal(originals, e.getMethodName());
        return new Diagnostic(node.name, node.sourceFile,
                method == null ? -1 : Names.firstLine(method), e.getMethodName(), e.getDescriptor(),
                Names.display(node.name, e.getMethodName()) + " is too large once rewritten ("
                        + e.getCodeSize() + " bytes of code, the JVM allows 65535): split it into"
                        + " smaller @Async methods, or keep fewer variables alive across each await");
    }

    /**
     * A class the frames needed but the hierarchy does not know makes frames that may not
     * verify: refuse the class rather than write a class that fails at load time.
     */
    private static Diagnostic unknownClasses(ClassNode node, HierarchyView view) {
        java.util.Set<String> unknown = view.unknownClasses();
        if (unknown.isEmpty()) {
            return null;
        }
        return new Diagnostic(node.name, node.sourceFile, -1, "<class>", "",
                "cannot rewrite " + Names.simpleName(node.name) + ": computing its stack map frames needs "
                        + String.join(", ", unknown).replace('/', '.') + ", which the class hierarchy given to"
                        + " the rewriter cannot find; put them on the classpath the plugin or the agent reads");
    }

    private static MethodNode findOriginal(List<MethodNode> methods, String name) {
        for (MethodNode method : methods) {
            if (method.name.equals(name)) {
                return method;
            }
        }
        return null;
    }

    /** Decides whether a method is rewritten, refused, or left alone. */
    private static void check(ClassNode owner, MethodNode method, List<Diagnostic> diagnostics,
                              List<MethodNode> toRewrite) {
        if ((method.access & Opcodes.ACC_BRIDGE) != 0) {
            return; // javac copies @Async onto bridges; they only call the real (rewritten) method
        }
        boolean async = hasAnnotation(method.visibleAnnotations, Names.ASYNC_DESC)
                || hasAnnotation(method.invisibleAnnotations, Names.ASYNC_DESC);
        String display = Names.display(owner.name, method.name);
        List<AbstractInsnNode> awaits = new ArrayList<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (Names.isAwait(insn)) {
                awaits.add(insn);
            } else if (insn instanceof InvokeDynamicInsnNode indy && referencesAwait(indy)) {
                diagnostics.add(new Diagnostic(owner.name, owner.sourceFile, Names.lineOf(insn), method.name,
                        method.desc, "method reference Coro::await in " + display + ": an await can only be"
                        + " rewritten where it is called; write a lambda that calls await(...) in an"
                        + " @Async method instead"));
            }
        }
        boolean returnsCoroutine = Type.getReturnType(method.desc).getDescriptor().equals("L" + Names.COROUTINE + ";");
        if (async) {
            int line = Names.firstLine(method);
            String refusal = null;
            if (method.name.equals("<init>") || method.name.equals("<clinit>")) {
                refusal = "@Async on a constructor of " + Names.simpleName(owner.name) + ": a constructor"
                        + " cannot suspend; move the asynchronous part into an @Async static factory method";
            } else if ((method.access & Opcodes.ACC_ABSTRACT) != 0 && (owner.access & Opcodes.ACC_INTERFACE) != 0) {
                refusal = "@Async on " + display + ", an abstract interface method: put @Async on the"
                        + " implementations (they are rewritten one by one); an interface's static and default"
                        + " methods may be @Async";
            } else if ((method.access & Opcodes.ACC_ABSTRACT) != 0) {
                refusal = "@Async on " + display + ", which is abstract: put @Async on the implementations"
                        + " (they are rewritten one by one)";
            } else if ((method.access & Opcodes.ACC_NATIVE) != 0) {
                refusal = "@Async on " + display + ", which is native: only Java method bodies can be"
                        + " rewritten; remove @Async";
            } else if (!returnsCoroutine) {
                refusal = "@Async on " + display + ", which returns " + Type.getReturnType(method.desc).getClassName()
                        + ": an @Async method must return dev.coro.Coroutine<T> (end it with"
                        + " `return done(value);`)";
            }
            if (refusal != null) {
                diagnostics.add(new Diagnostic(owner.name, owner.sourceFile, line, method.name, method.desc, refusal));
                return;
            }
            toRewrite.add(method);
            return;
        }
        if (awaits.isEmpty()) {
            return;
        }
        boolean lambda = (method.access & Opcodes.ACC_SYNTHETIC) != 0 && method.name.startsWith("lambda$");
        boolean returnsAwaitable = Type.getReturnType(method.desc).getDescriptor().equals("L" + Names.AWAITABLE + ";");
        if (lambda && (returnsCoroutine || returnsAwaitable)) {
            // the stub returns the coroutine object, which is an Awaitable too
            toRewrite.add(method); // an async lambda: `() -> { ... await(...) ...; return done(); }`
            return;
        }
        for (AbstractInsnNode await : awaits) {
            String message;
            if (lambda) {
                message = "await() in " + display + ", which does not return Coroutine: only a lambda"
                        + " returning Coroutine (ending with `return done(...);`) can await; or move the"
                        + " await into an @Async method";
            } else if (method.name.equals("<init>") || method.name.equals("<clinit>")) {
                message = "await() in " + (method.name.equals("<init>") ? "a constructor" : "the static initializer")
                        + " of " + Names.simpleName(owner.name) + ", which cannot suspend: move the await into an"
                        + " @Async method (e.g. an @Async static factory) and await that";
            } else {
                message = "await() in " + display + ", which is not @Async: add @Async (and return"
                        + " Coroutine<T> with `return done(value);`) or move the await into an @Async method";
            }
            diagnostics.add(new Diagnostic(owner.name, owner.sourceFile, Names.lineOf(await), method.name,
                    method.desc, message));
        }
    }

    private static boolean referencesAwait(InvokeDynamicInsnNode indy) {
        for (Object argument : indy.bsmArgs) {
            if (argument instanceof Handle handle && handle.getOwner().equals(Names.CORO)
                    && handle.getName().equals("await")) {
                return true;
            }
        }
        return false;
    }

    /** The {@code version} of the class's {@code @Rewritten} marker, or -1 when it has none. */
    private static int markerVersion(ClassNode node) {
        for (List<AnnotationNode> annotations : java.util.Arrays.asList(node.invisibleAnnotations, node.visibleAnnotations)) {
            if (annotations == null) {
                continue;
            }
            for (AnnotationNode annotation : annotations) {
                if (annotation.desc.equals(Names.REWRITTEN_DESC) && annotation.values != null) {
                    int at = annotation.values.indexOf("version");
                    if (at >= 0 && at % 2 == 0 && annotation.values.get(at + 1) instanceof Integer version) {
                        return version;
                    }
                }
            }
        }
        return -1;
    }

    private static boolean hasAnnotation(List<AnnotationNode> annotations, String desc) {
        if (annotations != null) {
            for (AnnotationNode annotation : annotations) {
                if (annotation.desc.equals(desc)) {
                    return true;
                }
            }
        }
        return false;
    }
}
