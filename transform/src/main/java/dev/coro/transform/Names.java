package dev.coro.transform;

import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.Opcodes;

/** The names of the runtime the rewritten code links to, and small helpers on them. */
final class Names {
    private Names() {
    }

    static final String CORO = "dev/coro/Coro";
    static final String ASYNC_DESC = "Ldev/coro/Async;";
    static final String COROUTINE = "dev/coro/Coroutine";
    static final String AWAITABLE = "dev/coro/Awaitable";
    static final String COMPLETION_STAGE = "java/util/concurrent/CompletionStage";
    static final String FRAME = "dev/coro/spi/Frame";
    static final String FRAME_DESC = "Ldev/coro/spi/Frame;";
    static final String BODY = "dev/coro/spi/CoroutineBody";
    static final String REWRITTEN_DESC = "Ldev/coro/spi/Rewritten;";
    static final String AWAIT_SITES_DESC = "Ldev/coro/spi/AwaitSites;";
    static final String FORMAT_CHECK = "dev/coro/spi/FormatCheck";
    /**
     * The format version of rewritten code this rewriter writes; equal to the runtime's
     * {@code dev.coro.spi.Rewritten.CURRENT_VERSION} of the same release (a test checks it).
     */
    static final int FORMAT_VERSION = 2;
    static final String RESUME_DESC = "(Ldev/coro/spi/Frame;)Ljava/lang/Object;";

    /** Whether the instruction calls one of {@code Coro.await(...)}. */
    static boolean isAwait(AbstractInsnNode insn) {
        return insn instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESTATIC
                && m.owner.equals(CORO) && m.name.equals("await")
                && Type.getArgumentTypes(m.desc).length >= 1;
    }

    /** Whether the instruction calls {@code Coro.done()} or {@code Coro.done(Object)}. */
    static boolean isDone(AbstractInsnNode insn) {
        return insn instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESTATIC
                && m.owner.equals(CORO) && m.name.equals("done")
                && (m.desc.equals("()L" + COROUTINE + ";")
                    || m.desc.equals("(Ljava/lang/Object;)L" + COROUTINE + ";"));
    }

    /** The source line of an instruction, or -1. */
    static int lineOf(AbstractInsnNode insn) {
        for (AbstractInsnNode at = insn; at != null; at = at.getPrevious()) {
            if (at instanceof LineNumberNode line) {
                return line.line;
            }
        }
        // instructions before the first line number (rare): take the next one
        for (AbstractInsnNode at = insn; at != null; at = at.getNext()) {
            if (at instanceof LineNumberNode line) {
                return line.line;
            }
        }
        return -1;
    }

    /** The first source line of a method, or -1. */
    static int firstLine(MethodNode method) {
        for (AbstractInsnNode at = method.instructions.getFirst(); at != null; at = at.getNext()) {
            if (at instanceof LineNumberNode line) {
                return line.line;
            }
        }
        return -1;
    }

    /** The simple name of a class for messages: {@code com/acme/Foo$Bar} -> {@code Foo$Bar}. */
    static String simpleName(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    /**
     * How users know a method: {@code Foo.bar()}, or {@code a lambda in Foo.bar()} for javac's
     * {@code lambda$bar$0}.
     */
    static String display(String owner, String methodName) {
        String simple = simpleName(owner);
        if (methodName.startsWith("lambda$")) {
            String rest = methodName.substring("lambda$".length());
            int dollar = rest.lastIndexOf('$');
            String enclosing = dollar > 0 ? rest.substring(0, dollar) : rest;
            if (enclosing.equals("new")) {
                enclosing = "<init>";
            } else if (enclosing.equals("static")) {
                enclosing = "<clinit>";
            }
            return "a lambda in " + simple + "." + enclosing + "()";
        }
        return simple + "." + methodName + "()";
    }
}
