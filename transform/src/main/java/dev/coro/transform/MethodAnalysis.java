package dev.coro.transform;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * One method's data flow, computed on its current instructions: the type of every local and
 * stack value before each instruction ({@link TypeInterpreter}), the control flow graph (normal
 * and exception edges), which locals are live before each instruction, and how many monitors
 * are held there.
 */
final class MethodAnalysis {
    final Frame<BasicValue>[] frames;
    private final List<List<Integer>> successors;
    /** Normal control flow only (jumps, switches, falling through), for the monitor depth. */
    private final List<List<Integer>> normalSuccessors;
    private final MethodNode method;
    private final BitSet[] liveIn;
    private final int[] monitorDepth;
    private final InsnList instructions;

    private final String owner;
    private final HierarchyView hierarchy;

    MethodAnalysis(String owner, MethodNode method, HierarchyView hierarchy) throws AnalyzerException {
        this.instructions = method.instructions;
        this.method = method;
        this.owner = owner;
        this.hierarchy = hierarchy;
        int size = instructions.size();
        successors = new ArrayList<>(size);
        normalSuccessors = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            successors.add(new ArrayList<>(2));
            normalSuccessors.add(new ArrayList<>(2));
        }
        Analyzer<BasicValue> analyzer = new Analyzer<>(new TypeInterpreter(hierarchy)) {
            @Override
            protected Frame<BasicValue> newFrame(int numLocals, int numStack) {
                return new TypeInterpreter.TypeFrame(numLocals, numStack);
            }

            @Override
            protected Frame<BasicValue> newFrame(Frame<? extends BasicValue> frame) {
                return new TypeInterpreter.TypeFrame(frame);
            }

            @Override
            protected void newControlFlowEdge(int insnIndex, int successorIndex) {
                addEdge(insnIndex, successorIndex);
                List<Integer> list = normalSuccessors.get(insnIndex);
                if (!list.contains(successorIndex)) {
                    list.add(successorIndex);
                }
            }

            @Override
            protected boolean newControlFlowExceptionEdge(int insnIndex, int successorIndex) {
                addEdge(insnIndex, successorIndex);
                return true;
            }
        };
        frames = analyzer.analyze(owner, method);
        liveIn = computeLiveness();
        monitorDepth = computeMonitorDepth();
    }

    /**
     * The types as the rewritten method sees them: after each await, only the locals it keeps are
     * still there (a resumed call restores those and no other), so every other local is unusable
     * until it is written again. A value known here before an await is known on every path
     * through the rewritten method, resumed or not.
     *
     * @param keptAt for each await call, the locals it saves and restores
     * @return the frame before each instruction, indexed like the instructions
     * @throws AnalyzerException if the method cannot be analysed (it was, once, already)
     */
    Frame<BasicValue>[] framesAcrossResumes(java.util.Map<AbstractInsnNode, BitSet> keptAt) throws AnalyzerException {
        Analyzer<BasicValue> analyzer = new Analyzer<>(new TypeInterpreter(hierarchy)) {
            @Override
            protected Frame<BasicValue> newFrame(int numLocals, int numStack) {
                return new ResumedFrame(numLocals, numStack, keptAt);
            }

            @Override
            protected Frame<BasicValue> newFrame(Frame<? extends BasicValue> frame) {
                return new ResumedFrame(frame, keptAt);
            }
        };
        return analyzer.analyze(owner, method);
    }

    /** A frame that forgets, after an await, the locals that the await does not keep. */
    private static final class ResumedFrame extends TypeInterpreter.TypeFrame {
        private final java.util.Map<AbstractInsnNode, BitSet> keptAt;

        ResumedFrame(int numLocals, int numStack, java.util.Map<AbstractInsnNode, BitSet> keptAt) {
            super(numLocals, numStack);
            this.keptAt = keptAt;
        }

        ResumedFrame(Frame<? extends BasicValue> frame, java.util.Map<AbstractInsnNode, BitSet> keptAt) {
            super(frame);
            this.keptAt = keptAt;
        }

        @Override
        public void execute(AbstractInsnNode insn, org.objectweb.asm.tree.analysis.Interpreter<BasicValue> interpreter)
                throws AnalyzerException {
            super.execute(insn, interpreter);
            BitSet kept = keptAt.get(insn);
            if (kept != null) {
                for (int local = 0; local < getLocals(); local++) {
                    if (!kept.get(local)) {
                        setLocal(local, BasicValue.UNINITIALIZED_VALUE);
                    }
                }
            }
        }
    }

    private void addEdge(int from, int to) {
        List<Integer> list = successors.get(from);
        if (!list.contains(to)) {
            list.add(to);
        }
    }

    /** @return the frame before the instruction, or {@code null} when it is unreachable */
    Frame<BasicValue> frame(AbstractInsnNode insn) {
        return frames[instructions.indexOf(insn)];
    }

    /** @return the locals live before the instruction (read on some path before being written) */
    BitSet liveBefore(AbstractInsnNode insn) {
        BitSet live = liveIn[instructions.indexOf(insn)];
        return live == null ? new BitSet() : live;
    }

    /** @return how many monitors the method holds before the instruction */
    int monitorDepth(AbstractInsnNode insn) {
        return Math.max(0, monitorDepth[instructions.indexOf(insn)]);
    }

    private BitSet[] computeLiveness() {
        int size = instructions.size();
        BitSet[] uses = new BitSet[size];
        BitSet[] defs = new BitSet[size];
        BitSet[] in = new BitSet[size];
        AbstractInsnNode[] insns = instructions.toArray();
        for (int i = 0; i < size; i++) {
            uses[i] = new BitSet();
            defs[i] = new BitSet();
            in[i] = new BitSet();
            AbstractInsnNode insn = insns[i];
            if (insn instanceof VarInsnNode v) {
                switch (v.getOpcode()) {
                    case Opcodes.ILOAD, Opcodes.FLOAD, Opcodes.ALOAD, Opcodes.LLOAD, Opcodes.DLOAD,
                         Opcodes.RET -> uses[i].set(v.var);
                    case Opcodes.ISTORE, Opcodes.FSTORE, Opcodes.ASTORE -> defs[i].set(v.var);
                    case Opcodes.LSTORE, Opcodes.DSTORE -> {
                        defs[i].set(v.var);
                        defs[i].set(v.var + 1);
                    }
                    default -> {
                    }
                }
            } else if (insn instanceof IincInsnNode iinc) {
                uses[i].set(iinc.var);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = size - 1; i >= 0; i--) {
                if (frames[i] == null) {
                    continue;
                }
                BitSet live = new BitSet();
                for (int successor : successors.get(i)) {
                    live.or(in[successor]);
                }
                live.andNot(defs[i]);
                live.or(uses[i]);
                if (!live.equals(in[i])) {
                    in[i] = live;
                    changed = true;
                }
            }
        }
        return in;
    }

    /**
     * How many monitors are held before each instruction, the most over all paths. Exception edges
     * follow the JVM's rule rather than the analyser's "every covering handler": an exception
     * goes to the first handler in the table that covers the instruction and matches, so a
     * catch-any handler hides the handlers after it. This is what makes javac's
     * {@code synchronized} exact: its own catch-any handler, which releases the monitor, comes
     * before every enclosing {@code catch} or {@code finally} handler, and those are never
     * reached with the monitor held.
     */
    private int[] computeMonitorDepth() {
        int size = instructions.size();
        int[] depth = new int[size];
        java.util.Arrays.fill(depth, -1);
        if (size == 0) {
            return depth;
        }
        AbstractInsnNode[] insns = instructions.toArray();
        List<List<Integer>> handlers = exceptionSuccessorsInTableOrder(size);
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        depth[0] = 0;
        work.add(0);
        while (!work.isEmpty()) {
            int i = work.poll();
            int before = depth[i];
            int after = before;
            int opcode = insns[i].getOpcode();
            if (opcode == Opcodes.MONITORENTER) {
                after++;
            } else if (opcode == Opcodes.MONITOREXIT) {
                after--;
            }
            after = Math.max(0, Math.min(after, 64));
            for (int successor : normalSuccessors.get(i)) {
                propagate(depth, work, successor, after);
            }
            // Order is important here: a monitorenter that throws has not acquired the monitor
            // (its handlers see the depth before it); a monitorexit that throws is javac's
            // handler releasing the monitor, whose own catch-any range loops back to itself.
            int thrown = opcode == Opcodes.MONITORENTER ? before : after;
            for (int handler : handlers.get(i)) {
                propagate(depth, work, handler, thrown);
            }
        }
        return depth;
    }

    private static void propagate(int[] depth, java.util.ArrayDeque<Integer> work, int successor, int value) {
        if (value > depth[successor]) {
            depth[successor] = value;
            work.add(successor);
        }
    }

    /**
     * For each instruction, the handlers an exception thrown there can reach: those covering it,
     * in exception-table order, up to and including the first that catches everything.
     */
    private List<List<Integer>> exceptionSuccessorsInTableOrder(int size) {
        List<List<Integer>> handlers = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            handlers.add(new ArrayList<>(1));
        }
        boolean[] caughtByAny = new boolean[size];
        for (org.objectweb.asm.tree.TryCatchBlockNode block : method.tryCatchBlocks) {
            int start = instructions.indexOf(block.start);
            int end = instructions.indexOf(block.end);
            int handler = instructions.indexOf(block.handler);
            boolean catchesAll = block.type == null || block.type.equals("java/lang/Throwable");
            for (int i = start; i < end; i++) {
                if (caughtByAny[i] || frames[i] == null) {
                    continue;
                }
                handlers.get(i).add(handler);
                if (catchesAll) {
                    caughtByAny[i] = true;
                }
            }
        }
        return handlers;
    }
}
