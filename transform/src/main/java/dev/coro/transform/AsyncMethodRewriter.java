package dev.coro.transform;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Turns one {@code @Async} method (or async lambda) into a stub and a resume method, following
 * the protocol of {@code dev.coro.spi.Frame} (read its javadoc first).
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>analyse types ({@link TypeInterpreter}); if an await has an uninitialised object below
 *   it on the stack ({@code new X(await(a))}) or in a live local, create that object after the
 *   constructor arguments instead (they go through fresh locals; a {@code null} placeholder
 *   takes its place until then) and analyse again;</li>
 *   <li>refuse awaits under a monitor; compute, per await site, the live locals and the stack
 *   below the awaitable, with their types; put the sites that save locals on {@link Chain}s
 *   (shared save and restore code), and give each saved value a slot of the frame;</li>
 *   <li>replace {@code return done(v)} by a plain return of {@code v}, route other returns
 *   through {@code Frame.returnValue};</li>
 *   <li>replace each await call by the suspend/resume sequence; put each site's restore code at
 *   the end of the method, outside every exception range (so that locals the handlers read are
 *   never seen half-restored), jumping back to the inline {@code resumeValue()} call, which is
 *   inside the same ranges as the original call;</li>
 *   <li>prepend the entry switch on {@code frame.state}; build the stub.</li>
 * </ol>
 * Stack map frames are left to {@code ClassWriter.COMPUTE_FRAMES} (with the class hierarchy).
 */
final class AsyncMethodRewriter implements Opcodes {
    private static final String OBJECT = "java/lang/Object";

    private final ClassNode owner;
    private final MethodNode method;
    private final HierarchyView hierarchy;
    private final List<Diagnostic> diagnostics;
    private final String resumeName;
    /** See {@link #MIN_SAVES_SPARED}. */
    private final int minSavesSpared;
    private final boolean ownerIsInterface;

    /** The original method turned into the stub (same node, new code). */
    MethodNode stub;
    /** The new resume method. */
    MethodNode resume;

    /** Where the frame lives in the resume method: the first local after the original ones. */
    private int frameLocal;
    private int nextLocal;
    /** The label the original code started with (parameters' variable entries start there). */
    private LabelNode originalFirstLabel;
    /** The first source line of the original method, or -1. */
    private int firstLine = -1;

    AsyncMethodRewriter(ClassNode owner, MethodNode method, HierarchyView hierarchy,
                        List<Diagnostic> diagnostics, String resumeName, int minSavesSpared) {
        this.owner = owner;
        this.method = method;
        this.hierarchy = hierarchy;
        this.diagnostics = diagnostics;
        this.resumeName = resumeName;
        this.minSavesSpared = minSavesSpared;
        this.ownerIsInterface = (owner.access & ACC_INTERFACE) != 0;
    }

    /** Kinds of saved values: how a value is stored in and read back from the frame. */
    private enum Kind {
        REF("Ref", "Ljava/lang/Object;", ALOAD, ASTORE),
        INT("Int", "I", ILOAD, ISTORE),
        LONG("Long", "J", LLOAD, LSTORE),
        FLOAT("Float", "F", FLOAD, FSTORE),
        DOUBLE("Double", "D", DLOAD, DSTORE),
        /** Known to be {@code null}: nothing is saved, {@code aconst_null} restores it. */
        NULL(null, null, ALOAD, ASTORE);

        final String suffix;
        final String desc;
        final int load;
        final int store;

        Kind(String suffix, String desc, int load, int store) {
            this.suffix = suffix;
            this.desc = desc;
            this.load = load;
            this.store = store;
        }

        boolean isPrimitive() {
            return this != REF && this != NULL;
        }

        static Kind of(Type type) {
            return switch (type.getSort()) {
                case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> INT;
                case Type.LONG -> LONG;
                case Type.FLOAT -> FLOAT;
                case Type.DOUBLE -> DOUBLE;
                default -> REF;
            };
        }

        /** @return the kind of an analysed value, or {@code null} for an unusable (TOP) value */
        static Kind of(BasicValue value) {
            Type type = value == null ? null : value.getType();
            if (type == null || value instanceof TypeInterpreter.UninitializedValue) {
                return null;
            }
            if (type.getSort() == Type.OBJECT && type.getInternalName().equals("null")) {
                return NULL;
            }
            if (type.getSort() == Type.METHOD) {
                return null;
            }
            return of(type);
        }
    }

    /** One saved value: where it comes from, its kind and type, and its frame slot. */
    private record Saved(int local, Kind kind, Type type, int slot) {
    }

    /** One await call and everything needed to suspend and resume there. */
    private static final class Site {
        MethodInsnNode call;
        int number;
        int line;
        /** The locals live after the await, by index (slots not assigned yet). */
        List<Saved> required = new ArrayList<>();
        /** Every local with a known kind here, by index: a chain may save dead primitives too. */
        java.util.Map<Integer, Saved> available = new java.util.HashMap<>();
        /** What the site saves: a prefix of its chain's entries, with their slots. */
        List<Saved> locals = new ArrayList<>();
        List<Saved> stack = new ArrayList<>(); // bottom first
        int refCount;
        int primCount;
        final LabelNode resumeLabel = new LabelNode();
        final LabelNode restoreLabel = new LabelNode();
        final LabelNode continueLabel = new LabelNode();
        /** The chain whose save and restore code this site enters, or null when it saves no local. */
        Chain chain;
        /** How many of the chain's entries this site saves and restores. */
        int prefix;

        /** Whether a chain entry may be saved and restored at this site. */
        boolean accepts(Saved entry) {
            Saved here = available.get(entry.local);
            if (here == null || here.kind != entry.kind
                    || (entry.kind == Kind.REF && !here.type.equals(entry.type))) {
                return false;
            }
            // a dead reference is never kept (the frame must not hold what the body dropped);
            // a dead primitive or null costs nothing to keep
            return entry.kind != Kind.REF || isRequired(entry.local);
        }

        boolean isRequired(int local) {
            for (Saved saved : required) {
                if (saved.local == local) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Save and restore code of locals shared by await sites, so that a method with many awaits
     * and many locals stays under the JVM's 64 KiB once rewritten. The entries are ordered; each
     * site saves a prefix of them, which holds every local live after it (and maybe primitives
     * that are dead there but known: saving them is harmless). A site that needs more locals
     * than a chain has extends it, when the whole chain is acceptable to it.
     *
     * <p>The code is two ladders. The save code saves the entries from the last to the first; a
     * site jumps in where its prefix ends, with its state number on the stack, and falls through
     * to the end ({@code frame.state = n; return SUSPENDED}). The restore code restores the
     * entries from the first to the last; every site enters at the top, and after each prefix
     * length that some sites use, a switch on the state sends those sites to their own
     * operand-stack restore. (Order is important here: the restore ladder must run from the first
     * entry, so that every path reaching a site's exit has restored exactly its entries and the
     * verifier sees them typed; a ladder entered part-way would merge into TOP at a shared exit.)
     * Each local is saved and restored in one place whatever the number of sites: straight-line
     * code where each await adds locals costs O(locals), not O(awaits x locals).
     */
    private static final class Chain {
        final List<Saved> entries = new ArrayList<>();
        final List<Site> sites = new ArrayList<>();
        /** saveAt.get(p): where a site saving the first p entries enters the save ladder. */
        final List<LabelNode> saveAt = new ArrayList<>();
        /** Where every site of the chain enters the restore ladder (from the state switch). */
        final LabelNode restore = new LabelNode();
    }

    /**
     * Rewrites the method; on a refusal adds diagnostics and returns false, leaving the class
     * to be reported as failed.
     */
    boolean rewrite() {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == JSR || insn.getOpcode() == RET) {
                refuse(insn, "the method uses jsr/ret subroutines (class files older than Java 6)," +
                        " which Coro cannot rewrite: recompile the class with a current javac");
                return false;
            }
        }
        removeFrameNodes(); // stale once the code changes; fresh ones are computed at the end
        firstLine = Names.firstLine(method);
        if (method.instructions.getFirst() instanceof LabelNode first) {
            originalFirstLabel = first;
        }
        frameLocal = method.maxLocals;
        nextLocal = frameLocal + 1;

        List<MethodInsnNode> calls = new ArrayList<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (Names.isAwait(insn)) {
                calls.add((MethodInsnNode) insn);
            }
        }

        MethodAnalysis analysis;
        try {
            analysis = new MethodAnalysis(owner.name, method, hierarchy);
            if (relocateUninitialized(calls, analysis)) {
                method.maxLocals = nextLocal;
                analysis = new MethodAnalysis(owner.name, method, hierarchy);
            }
        } catch (AnalyzerException e) {
            AbstractInsnNode at = e.node;
            refuse(at, "cannot analyse the bytecode of " + display() + " (" + e.getMessage()
                    + "); please report this with the class file");
            return false;
        } catch (RelocationRefused refused) {
            return false;
        }

        boolean synchronizedMethod = (method.access & ACC_SYNCHRONIZED) != 0;
        boolean ok = true;
        java.util.Map<AbstractInsnNode, BitSet> liveAt = new java.util.LinkedHashMap<>();
        for (MethodInsnNode call : calls) {
            Frame<BasicValue> frame = analysis.frame(call);
            if (frame == null) {
                continue; // unreachable: javac does not emit it, and ClassWriter removes it
            }
            if (synchronizedMethod) {
                refuse(call, "await() in " + display() + ", which is synchronized: the monitor would be"
                        + " held while the coroutine is suspended; use a dev.coro Lock or move the"
                        + " synchronized part into a plain method called between awaits");
                ok = false;
                continue;
            }
            if (analysis.monitorDepth(call) > 0) {
                refuse(call, "await() inside a synchronized block in " + display() + ": the monitor"
                        + " would be held while the coroutine is suspended; end the synchronized"
                        + " block before the await (or use a dev.coro Lock)");
                ok = false;
                continue;
            }
            BitSet live = (BitSet) analysis.liveBefore(call).clone();
            if ((method.access & ACC_STATIC) == 0) {
                // `this` is kept even when the rest of the body no longer needs it, so that a
                // debugger stopped after the await shows the right object (one slot per frame)
                live.set(0);
            }
            live.clear(frameLocal, Math.max(frameLocal, live.length()));
            liveAt.put(call, live);
        }
        if (!ok) {
            return false;
        }
        // Order is important here: which dead locals a chain may carry along depends on what the
        // rewritten method knows at each await, once resumed calls restore only what they keep
        Frame<BasicValue>[] resumed;
        try {
            resumed = analysis.framesAcrossResumes(liveAt);
        } catch (AnalyzerException e) {
            refuse(e.node, "cannot analyse the bytecode of " + display() + " (" + e.getMessage()
                    + "); please report this with the class file");
            return false;
        }
        List<Site> sites = new ArrayList<>();
        for (java.util.Map.Entry<AbstractInsnNode, BitSet> entry : liveAt.entrySet()) {
            MethodInsnNode call = (MethodInsnNode) entry.getKey();
            Site site = layout(call, analysis.frame(call), resumed[method.instructions.indexOf(call)], entry.getValue());
            if (site == null) {
                ok = false;
                continue;
            }
            site.number = sites.size() + 1;
            sites.add(site);
        }
        if (!ok) {
            return false;
        }
        build(sites);
        return true;
    }

    private void removeFrameNodes() {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; ) {
            AbstractInsnNode next = insn.getNext();
            if (insn instanceof FrameNode) {
                method.instructions.remove(insn);
            }
            insn = next;
        }
    }

    // ------------------------------------------------------------------ uninitialised objects

    /** Thrown (after adding a diagnostic) when a constructor shape cannot be rewritten. */
    private static final class RelocationRefused extends Exception {
        private static final long serialVersionUID = 1L;

        RelocationRefused() {
            super(null, null, false, false);
        }
    }

    /**
     * For every {@code NEW} whose uninitialised value is on the stack at an await, or in a local
     * read after it, creates the object just before its constructor call instead, after the
     * arguments (which are parked in fresh locals meanwhile). The {@code NEW} itself becomes
     * {@code aconst_null}: a placeholder that every {@code DUP}, store and load of the original
     * code moves around as it moved the uninitialised object, and that the rewriter saves as a
     * known {@code null} (nothing is written to the frame). At the constructor call, the
     * placeholders on the stack are popped and replaced by the new object.
     *
     * <p>Shapes this covers: {@code new X(await(a))} ({@code NEW, DUP} on the stack below the
     * await), and a switch expression containing a {@code try} among the arguments, for which
     * javac spills the operand stack, the object and its copy included, into locals.
     *
     * @return whether anything was moved (the method must then be analysed again)
     */
    private boolean relocateUninitialized(List<MethodInsnNode> calls, MethodAnalysis analysis)
            throws RelocationRefused {
        Set<AbstractInsnNode> news = new LinkedHashSet<>();
        for (MethodInsnNode call : calls) {
            Frame<BasicValue> frame = analysis.frame(call);
            if (frame == null) {
                continue;
            }
            int below = frame.getStackSize() - Type.getArgumentTypes(call.desc).length;
            news.addAll(TypeInterpreter.uninitializedOnStack(frame, below));
            BitSet live = analysis.liveBefore(call);
            for (int i = 0; i < frame.getLocals(); i++) {
                if (frame.getLocal(i) instanceof TypeInterpreter.UninitializedValue u && live.get(i)) {
                    news.add(u.newInsn);
                }
            }
        }
        if (news.isEmpty()) {
            return false;
        }
        // Order is important here: find every constructor call first, while the analysis still
        // matches the instruction list, then change the code.
        List<Object[]> moves = new ArrayList<>();
        for (AbstractInsnNode newInsn : news) {
            MethodInsnNode init = null;
            int copies = 0;
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn.getOpcode() != INVOKESPECIAL || !((MethodInsnNode) insn).name.equals("<init>")) {
                    continue;
                }
                Frame<BasicValue> frame = analysis.frame(insn);
                if (frame == null) {
                    continue;
                }
                int args = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
                int receiverIndex = frame.getStackSize() - args - 1;
                if (!isCopyOf(frame.getStack(receiverIndex), newInsn)) {
                    continue;
                }
                if (init != null) {
                    refuse(newInsn, "an object under construction across an await in " + display()
                            + " has two constructor calls; this bytecode shape is not produced by"
                            + " javac: compute the arguments first");
                    throw new RelocationRefused();
                }
                init = (MethodInsnNode) insn;
                copies = 0;
                for (int i = 0; i < frame.getStackSize(); i++) {
                    if (isCopyOf(frame.getStack(i), newInsn)) {
                        copies++;
                    }
                }
                // javac's shapes: the receiver alone, or the receiver and the copy right below it
                boolean contiguous = copies == 1 || (copies == 2 && receiverIndex > 0
                        && isCopyOf(frame.getStack(receiverIndex - 1), newInsn));
                // copies left in locals are spills javac never reads again; a read after the
                // constructor would see the placeholder instead of the object
                BitSet live = analysis.liveBefore(insn);
                for (int i = 0; i < frame.getLocals(); i++) {
                    if (isCopyOf(frame.getLocal(i), newInsn) && live.get(i)) {
                        contiguous = false;
                    }
                }
                if (!contiguous) {
                    copies = -1;
                }
            }
            if (init == null || copies < 0) {
                refuse(newInsn, "await() inside the arguments of a constructor call in " + display()
                        + " uses a bytecode shape javac does not produce; assign the awaited value"
                        + " to a local variable first");
                throw new RelocationRefused();
            }
            moves.add(new Object[] {newInsn, init, copies});
        }
        for (Object[] move : moves) {
            AbstractInsnNode newInsn = (AbstractInsnNode) move[0];
            MethodInsnNode init = (MethodInsnNode) move[1];
            int copies = (Integer) move[2];
            Type[] args = Type.getArgumentTypes(init.desc);
            int[] temps = new int[args.length];
            InsnList before = new InsnList();
            for (int i = 0; i < args.length; i++) {
                temps[i] = nextLocal;
                nextLocal += args[i].getSize();
            }
            for (int i = args.length - 1; i >= 0; i--) {
                before.add(new VarInsnNode(args[i].getOpcode(ISTORE), temps[i]));
            }
            for (int i = 0; i < copies; i++) {
                before.add(new InsnNode(POP)); // the placeholders
            }
            before.add(new TypeInsnNode(NEW, ((TypeInsnNode) newInsn).desc));
            if (copies == 2) {
                before.add(new InsnNode(DUP));
            }
            for (int i = 0; i < args.length; i++) {
                before.add(new VarInsnNode(args[i].getOpcode(ILOAD), temps[i]));
            }
            method.instructions.insertBefore(init, before);
            method.instructions.set(newInsn, new InsnNode(ACONST_NULL));
        }
        return true;
    }

    private static boolean isCopyOf(BasicValue value, AbstractInsnNode newInsn) {
        return value instanceof TypeInterpreter.UninitializedValue u && u.newInsn == newInsn;
    }

    // ------------------------------------------------------------------ layout

    /**
     * @param frame the types before the await, in the method as compiled
     * @param resumed the types before the await in the rewritten method (see
     *     {@link MethodAnalysis#framesAcrossResumes}): what a chain may carry along
     * @param live the locals the await keeps
     */
    private Site layout(MethodInsnNode call, Frame<BasicValue> frame, Frame<BasicValue> resumed, BitSet live) {
        Site site = new Site();
        site.call = call;
        site.line = Names.lineOf(call);
        int below = frame.getStackSize() - Type.getArgumentTypes(call.desc).length;
        for (int local = 0; local < frame.getLocals() && local < frameLocal; local++) {
            // locals at frameLocal and above: temporaries of moved constructor calls, never live
            // across an await
            BasicValue value = frame.getLocal(local);
            Kind kind = Kind.of(value);
            if (kind == null) {
                continue; // not definitely assigned here: no path reads it before writing it
            }
            Saved saved = new Saved(local, kind, value.getType(), -1);
            if (live.get(local)) {
                site.required.add(saved);
                site.available.put(local, saved);
            } else if (resumed != null && kind == Kind.of(resumed.getLocal(local))
                    && (kind != Kind.REF || value.getType().equals(resumed.getLocal(local).getType()))) {
                site.available.put(local, saved); // known on every path, resumed ones included
            }
        }
        for (int i = 0; i < below; i++) {
            BasicValue value = frame.getStack(i);
            Kind kind = Kind.of(value);
            if (kind == null) {
                refuse(call, "await() in " + display() + " with a value of unknown type on the"
                        + " operand stack (" + value + "); assign the awaited value to a local first");
                return null;
            }
            site.stack.add(new Saved(-1, kind, value.getType(), -1));
        }
        return site;
    }

    /**
     * Puts every site that saves locals on a {@link Chain} and gives every saved value its frame
     * slot: a site's locals first (its chain prefix, so the same local has the same slot at every
     * site of a chain), then its operand stack.
     */
    private List<Chain> assignLayouts(List<Site> sites) {
        List<Chain> chains = new ArrayList<>();
        for (Site site : sites) {
            if (site.required.isEmpty()) {
                continue;
            }
            Chain best = null;
            int bestPrefix = 0;
            List<Saved> bestMissing = null;
            for (Chain chain : chains) {
                int acceptable = 0;
                while (acceptable < chain.entries.size() && site.accepts(chain.entries.get(acceptable))) {
                    acceptable++;
                }
                List<Saved> missing = new ArrayList<>(site.required);
                int needed = 0;
                for (int i = 0; i < acceptable; i++) {
                    Saved entry = chain.entries.get(i);
                    if (missing.removeIf(saved -> saved.local == entry.local)) {
                        needed = i + 1;
                    }
                }
                if (missing.isEmpty()) {
                    // fits as it is: save no more than the last entry it needs
                    if (best == null || !bestMissing.isEmpty() || needed < bestPrefix) {
                        best = chain;
                        bestPrefix = needed;
                        bestMissing = missing;
                    }
                } else if (acceptable == chain.entries.size()
                        && (best == null || (!bestMissing.isEmpty() && missing.size() < bestMissing.size()))) {
                    best = chain; // can be extended by what is missing
                    bestPrefix = chain.entries.size() + missing.size();
                    bestMissing = missing;
                }
            }
            if (best == null) {
                best = new Chain();
                chains.add(best);
                bestMissing = new ArrayList<>(site.required);
                bestPrefix = bestMissing.size();
            }
            best.entries.addAll(bestMissing);
            best.sites.add(site);
            site.chain = best;
            site.prefix = bestPrefix;
        }
        // Order is important here: decide which chains are worth their ladders before giving
        // slots, since the sites of a dropped chain lay out their own locals.
        List<Chain> shared = new ArrayList<>();
        for (Chain chain : chains) {
            if (worthSharing(chain, minSavesSpared)) {
                shared.add(chain);
                continue;
            }
            // not worth it as a whole: sites whose live locals are the same still share (the
            // others save inline)
            java.util.Map<List<Saved>, Chain> same = new java.util.LinkedHashMap<>();
            for (Site site : chain.sites) {
                Chain group = same.computeIfAbsent(site.required, required -> {
                    Chain fresh = new Chain();
                    fresh.entries.addAll(required);
                    return fresh;
                });
                group.sites.add(site);
                site.chain = group;
                site.prefix = site.required.size();
            }
            for (Chain group : same.values()) {
                if (group.sites.size() > 1) {
                    shared.add(group);
                } else {
                    group.sites.get(0).chain = null;
                    group.sites.get(0).prefix = 0;
                }
            }
        }
        for (Chain chain : shared) {
            int refs = 0;
            int prims = 0;
            for (int i = 0; i < chain.entries.size(); i++) {
                Saved entry = chain.entries.get(i);
                int slot = entry.kind == Kind.NULL ? -1 : entry.kind.isPrimitive() ? prims++ : refs++;
                chain.entries.set(i, new Saved(entry.local, entry.kind, entry.type, slot));
            }
            for (int p = 0; p <= chain.entries.size(); p++) {
                chain.saveAt.add(new LabelNode());
            }
        }
        for (Site site : sites) {
            int refs = 0;
            int prims = 0;
            if (site.chain != null) {
                site.locals = new ArrayList<>(site.chain.entries.subList(0, site.prefix));
                for (Saved saved : site.locals) {
                    if (saved.kind == Kind.REF) {
                        refs++;
                    } else if (saved.kind != Kind.NULL) {
                        prims++;
                    }
                }
            } else {
                // inline: exactly the live locals, by index (locals take the first slots)
                site.locals = new ArrayList<>();
                for (Saved saved : site.required) {
                    int slot = saved.kind == Kind.NULL ? -1 : saved.kind.isPrimitive() ? prims++ : refs++;
                    site.locals.add(new Saved(saved.local, saved.kind, saved.type, slot));
                }
            }
            for (int i = 0; i < site.stack.size(); i++) {
                Saved value = site.stack.get(i);
                int slot = value.kind == Kind.NULL ? -1 : value.kind.isPrimitive() ? prims++ : refs++;
                site.stack.set(i, new Saved(-1, value.kind, value.type, slot));
            }
            site.refCount = refs;
            site.primCount = prims;
        }
        return shared;
    }

    /**
     * Local saves (and as many restores) a chain must spare before its ladders pay for their
     * jumps. The rewriter's tests also use 0 (every chain of two sites or more shares), so that
     * the ladders are exercised by small methods too.
     */
    static final int MIN_SAVES_SPARED = 16;

    /**
     * Whether a chain's ladders are worth it. Sites whose locals are all the same always share
     * (a loop with several awaits); otherwise the chain must spare {@code minSavesSpared} saves
     * ({@value #MIN_SAVES_SPARED} unless a test says otherwise), so that small methods keep the shortest suspend and resume paths (each site its own
     * saves, no jump, no switch on the state) and only methods that would grow large share.
     */
    private static boolean worthSharing(Chain chain, int minSavesSpared) {
        if (chain.sites.size() < 2) {
            return false;
        }
        int saves = 0;
        boolean allTheSame = true;
        for (Site site : chain.sites) {
            saves += site.prefix;
            allTheSame &= site.prefix == chain.entries.size() && site.required.size() == site.prefix;
        }
        return allTheSame || saves - chain.entries.size() >= minSavesSpared;
    }

    // ------------------------------------------------------------------ code generation

    private void build(List<Site> sites) {
        InsnList code = method.instructions;
        Set<AbstractInsnNode> directReturns = rewriteDoneCalls(code);
        // any other return of a Coroutine: let the runtime unwrap it
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == ARETURN && !directReturns.contains(insn)) {
                // the error for `return null;` or `return other();` names the method and the line
                InsnList unwrap = new InsnList();
                unwrap.add(new LdcInsnNode(where(Names.lineOf(insn))));
                unwrap.add(new MethodInsnNode(INVOKESTATIC, Names.FRAME, "returnValue",
                        "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;", false));
                code.insertBefore(insn, unwrap);
            }
        }

        Type[] argTypes = Type.getArgumentTypes(method.desc);
        boolean isStatic = (method.access & ACC_STATIC) != 0;
        int argRefs = isStatic ? 0 : 1;
        int argPrims = 0;
        for (Type t : argTypes) {
            if (Kind.of(t).isPrimitive()) {
                argPrims++;
            } else {
                argRefs++;
            }
        }
        List<Chain> chains = assignLayouts(sites);
        int maxRefs = argRefs;
        int maxPrims = argPrims;
        for (Site site : sites) {
            maxRefs = Math.max(maxRefs, site.refCount);
            maxPrims = Math.max(maxPrims, site.primCount);
        }

        InsnList tail = new InsnList();
        for (Chain chain : chains) {
            tail.add(chainSequences(chain));
        }
        for (Site site : sites) {
            code.insert(site.call, suspendSequence(site, maxRefs));
            if (hasExtraArguments(site.call)) {
                popExtraArguments(code, site.call);
            }
            code.insertBefore(site.call, new VarInsnNode(ALOAD, frameLocal));
            code.set(site.call, new MethodInsnNode(INVOKESTATIC, Names.FRAME,
                    awaitsStage(site.call) ? "awaitStage" : "await",
                    awaitsStage(site.call)
                            ? "(L" + Names.COMPLETION_STAGE + ";" + Names.FRAME_DESC + ")Ljava/lang/Object;"
                            : "(L" + Names.AWAITABLE + ";" + Names.FRAME_DESC + ")Ljava/lang/Object;",
                    false));
            tail.add(restoreSequence(site));
        }

        // entry: frame into its own local, switch on the state
        LabelNode start = new LabelNode();
        LabelNode bad = new LabelNode();
        InsnList entry = new InsnList();
        entry.add(new VarInsnNode(ALOAD, 0));
        entry.add(new VarInsnNode(ASTORE, frameLocal));
        entry.add(new VarInsnNode(ALOAD, frameLocal));
        entry.add(new FieldInsnNode(GETFIELD, Names.FRAME, "state", "I"));
        LabelNode[] targets = new LabelNode[sites.size() + 1];
        targets[0] = start;
        for (Site site : sites) {
            targets[site.number] = site.chain != null ? site.chain.restore : site.restoreLabel;
        }
        entry.add(new TableSwitchInsnNode(0, sites.size(), bad, targets));
        entry.add(start);
        int refSlot = 0;
        int primSlot = 0;
        int local = 0;
        if (!isStatic) {
            entry.add(load(Kind.REF, Type.getObjectType(owner.name), refSlot++, 0));
            local = 1;
        }
        for (Type t : argTypes) {
            Kind kind = Kind.of(t);
            entry.add(load(kind, t, kind.isPrimitive() ? primSlot++ : refSlot++, local));
            local += t.getSize();
        }
        if (refSlot > 0) {
            entry.add(clearRefs(0)); // the arguments now live in the locals only
        }
        List<TryCatchBlockNode> tryCatch = new ArrayList<>(method.tryCatchBlocks);
        if ((method.access & ACC_SYNCHRONIZED) != 0) {
            // only reached without awaits (awaits in synchronized methods are refused): hold the
            // monitor while the body runs, as the synchronized method would have
            int lock = nextLocal++;
            LabelNode from = new LabelNode();
            LabelNode to = new LabelNode();
            LabelNode handler = new LabelNode();
            if (isStatic) {
                entry.add(new LdcInsnNode(Type.getObjectType(owner.name)));
            } else {
                entry.add(new VarInsnNode(ALOAD, 0));
            }
            entry.add(new InsnNode(DUP));
            entry.add(new VarInsnNode(ASTORE, lock));
            entry.add(new InsnNode(MONITORENTER));
            entry.add(from);
            for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn.getOpcode() == ARETURN) {
                    InsnList exit = new InsnList();
                    exit.add(new VarInsnNode(ALOAD, lock));
                    exit.add(new InsnNode(MONITOREXIT));
                    code.insertBefore(insn, exit);
                }
            }
            code.add(to);
            code.add(handler);
            code.add(new VarInsnNode(ALOAD, lock));
            code.add(new InsnNode(MONITOREXIT));
            code.add(new InsnNode(ATHROW));
            tryCatch.add(new TryCatchBlockNode(from, to, handler, null));
        }
        code.insert(entry);

        code.add(tail);
        code.add(bad);
        code.add(new TypeInsnNode(NEW, "java/lang/IllegalStateException"));
        code.add(new InsnNode(DUP));
        code.add(new LdcInsnNode("Coro: " + owner.name.replace('/', '.') + "." + method.name
                + " resumed in a state it never suspended in (frame of another method?)"));
        code.add(new MethodInsnNode(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>",
                "(Ljava/lang/String;)V", false));
        code.add(new InsnNode(ATHROW));

        MethodNode body = new MethodNode(ASM9, ACC_PRIVATE | ACC_STATIC | ACC_SYNTHETIC, resumeName,
                Names.RESUME_DESC, null, null);
        body.instructions = code;
        body.tryCatchBlocks = tryCatch;
        body.localVariables = method.localVariables;
        body.visibleLocalVariableAnnotations = method.visibleLocalVariableAnnotations;
        body.invisibleLocalVariableAnnotations = method.invisibleLocalVariableAnnotations;
        body.maxLocals = nextLocal;
        body.maxStack = method.maxStack + 4;
        body.visibleAnnotations = new ArrayList<>(List.of(awaitSites(sites)));
        resume = body;

        buildStub(argTypes, isStatic, maxRefs, maxPrims);
    }

    private static boolean awaitsStage(MethodInsnNode call) {
        return Type.getArgumentTypes(call.desc)[0].getInternalName().equals(Names.COMPLETION_STAGE);
    }

    private static boolean hasExtraArguments(MethodInsnNode call) {
        return Type.getArgumentTypes(call.desc).length > 1;
    }

    /** {@code await(aw, SomeException.class)}: the extra arguments only serve javac. */
    private static void popExtraArguments(InsnList code, MethodInsnNode call) {
        Type[] args = Type.getArgumentTypes(call.desc);
        InsnList pops = new InsnList();
        for (int i = args.length - 1; i >= 1; i--) {
            pops.add(new InsnNode(args[i].getSize() == 2 ? POP2 : POP));
        }
        code.insertBefore(call, pops);
    }

    /**
     * {@code return done(v)} -> {@code areturn v}; {@code return done()} -> {@code areturn null}.
     * A done call whose result flows (possibly through gotos) straight to an {@code areturn}
     * returns at once instead.
     *
     * @return the returns that hand back a plain value (not to be wrapped in returnValue)
     */
    private Set<AbstractInsnNode> rewriteDoneCalls(InsnList code) {
        Set<AbstractInsnNode> direct = new HashSet<>();
        List<MethodInsnNode> dones = new ArrayList<>();
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (Names.isDone(insn)) {
                dones.add((MethodInsnNode) insn);
            }
        }
        for (MethodInsnNode done : dones) {
            if (!flowsToReturn(done)) {
                continue;
            }
            boolean noArgument = done.desc.startsWith("()");
            if (done.getNext() != null && done.getNext().getOpcode() == ARETURN) {
                // the usual `return done(v);`: the areturn itself returns the plain value
                direct.add(done.getNext());
                if (noArgument) {
                    code.set(done, new InsnNode(ACONST_NULL));
                } else {
                    code.remove(done);
                }
                continue;
            }
            InsnList replacement = new InsnList();
            if (noArgument) {
                replacement.add(new InsnNode(ACONST_NULL));
            }
            InsnNode ret = new InsnNode(ARETURN);
            replacement.add(ret);
            direct.add(ret);
            code.insertBefore(done, replacement);
            code.remove(done);
        }
        return direct;
    }

    private static boolean flowsToReturn(AbstractInsnNode from) {
        AbstractInsnNode insn = from.getNext();
        int guard = 0;
        while (insn != null && guard++ < 1000) {
            if (insn instanceof LabelNode || insn instanceof LineNumberNode || insn instanceof FrameNode) {
                insn = insn.getNext();
            } else if (insn.getOpcode() == GOTO) {
                insn = ((JumpInsnNode) insn).label;
            } else {
                return insn.getOpcode() == ARETURN;
            }
        }
        return false;
    }

    /**
     * Inserted right after the await call (which becomes {@code Frame.await}): the fast-path
     * test, the suspension, and the inline resume point.
     */
    private InsnList suspendSequence(Site site, int maxRefs) {
        InsnList code = new InsnList();
        code.add(new InsnNode(DUP));
        code.add(new FieldInsnNode(GETSTATIC, Names.FRAME, "SUSPENDED", "Ljava/lang/Object;"));
        code.add(new JumpInsnNode(IF_ACMPNE, site.continueLabel));
        code.add(new InsnNode(POP));
        // Order is important here: the stack is spilled from the top down, so it must be
        // restored from the bottom up.
        for (int i = site.stack.size() - 1; i >= 0; i--) {
            Saved saved = site.stack.get(i);
            if (saved.kind == Kind.NULL) {
                code.add(new InsnNode(POP));
            } else {
                code.add(new VarInsnNode(ALOAD, frameLocal));
                code.add(pushInt(saved.slot));
                code.add(new MethodInsnNode(INVOKESTATIC, Names.FRAME, "put" + saved.kind.suffix,
                        "(" + saved.kind.desc + Names.FRAME_DESC + "I)V", false));
            }
        }
        if (site.refCount < maxRefs) {
            code.add(clearRefs(site.refCount)); // above this site's slots: the locals' slots are below
        }
        if (site.chain != null) {
            code.add(pushInt(site.number));
            code.add(new JumpInsnNode(GOTO, site.chain.saveAt.get(site.prefix)));
        } else {
            for (Saved saved : site.locals) {
                code.add(saveLocal(saved));
            }
            code.add(new VarInsnNode(ALOAD, frameLocal));
            code.add(pushInt(site.number));
            code.add(new FieldInsnNode(PUTFIELD, Names.FRAME, "state", "I"));
            code.add(new FieldInsnNode(GETSTATIC, Names.FRAME, "SUSPENDED", "Ljava/lang/Object;"));
            code.add(new InsnNode(ARETURN));
        }
        code.add(site.resumeLabel);
        code.add(new VarInsnNode(ALOAD, frameLocal));
        code.add(new MethodInsnNode(INVOKEVIRTUAL, Names.FRAME, "resumeValue", "()Ljava/lang/Object;", false));
        code.add(site.continueLabel);
        return code;
    }

    /** Saves one local into its frame slot. */
    private InsnList saveLocal(Saved saved) {
        InsnList code = new InsnList();
        if (saved.kind == Kind.NULL) {
            return code;
        }
        code.add(new VarInsnNode(saved.kind.load, saved.local));
        code.add(new VarInsnNode(ALOAD, frameLocal));
        code.add(pushInt(saved.slot));
        code.add(new MethodInsnNode(INVOKESTATIC, Names.FRAME, "put" + saved.kind.suffix,
                "(" + saved.kind.desc + Names.FRAME_DESC + "I)V", false));
        return code;
    }

    /**
     * The ladders of a chain (see {@link Chain}): the save ladder, entered with the state number
     * on the stack, and the restore ladder, entered from the state switch, ending with a switch
     * on the state to the site's own operand-stack restore.
     */
    private InsnList chainSequences(Chain chain) {
        InsnList code = new InsnList();
        for (int i = chain.entries.size() - 1; i >= 0; i--) {
            code.add(chain.saveAt.get(i + 1));
            code.add(saveLocal(chain.entries.get(i)));
        }
        code.add(chain.saveAt.get(0));
        code.add(new VarInsnNode(ALOAD, frameLocal));
        code.add(new InsnNode(SWAP));
        code.add(new FieldInsnNode(PUTFIELD, Names.FRAME, "state", "I"));
        code.add(new FieldInsnNode(GETSTATIC, Names.FRAME, "SUSPENDED", "Ljava/lang/Object;"));
        code.add(new InsnNode(ARETURN));
        java.util.Map<Integer, List<Site>> exits = new java.util.TreeMap<>();
        for (Site site : chain.sites) {
            exits.computeIfAbsent(site.prefix, prefix -> new ArrayList<>()).add(site);
        }
        code.add(chain.restore);
        int line = chain.sites.get(0).line;
        if (line > 0) {
            code.add(new LineNumberNode(line, chain.restore));
        }
        for (int i = 0; i < chain.entries.size(); i++) {
            Saved saved = chain.entries.get(i);
            code.add(load(saved.kind, saved.type, saved.slot, saved.local));
            List<Site> exiting = exits.get(i + 1);
            if (exiting == null) {
                continue;
            }
            exiting.sort(java.util.Comparator.comparingInt(site -> site.number));
            boolean last = i + 1 == chain.entries.size();
            LabelNode next = new LabelNode();
            int[] keys = new int[exiting.size()];
            LabelNode[] labels = new LabelNode[keys.length];
            for (int k = 0; k < keys.length; k++) {
                keys[k] = exiting.get(k).number; // ascending, as the instruction requires
                labels[k] = exiting.get(k).restoreLabel;
            }
            code.add(new VarInsnNode(ALOAD, frameLocal));
            code.add(new FieldInsnNode(GETFIELD, Names.FRAME, "state", "I"));
            // the sites with a longer prefix go on restoring; after the last entry none is left
            code.add(new org.objectweb.asm.tree.LookupSwitchInsnNode(last ? labels[0] : next, keys, labels));
            if (!last) {
                code.add(next);
            }
        }
        return code;
    }

    private InsnList clearRefs(int fromSlot) {
        InsnList code = new InsnList();
        code.add(new VarInsnNode(ALOAD, frameLocal));
        code.add(pushInt(fromSlot));
        code.add(new MethodInsnNode(INVOKESTATIC, Names.FRAME, "clearRefs", "(" + Names.FRAME_DESC + "I)V", false));
        return code;
    }

    /** At the end of the method, outside every exception range: restore, then jump back. */
    private InsnList restoreSequence(Site site) {
        InsnList code = new InsnList();
        code.add(site.restoreLabel);
        if (site.line > 0) {
            code.add(new LineNumberNode(site.line, site.restoreLabel));
        }
        if (site.chain == null) {
            for (Saved saved : site.locals) {
                code.add(load(saved.kind, saved.type, saved.slot, saved.local));
            }
        } // else the chain's ladder restored them
        for (Saved saved : site.stack) {
            code.add(get(saved.kind, saved.type, saved.slot));
        }
        if (site.refCount > 0) {
            // the frame must not keep what the body drops later (`t = null;` then a GC)
            code.add(clearRefs(0));
        }
        code.add(new JumpInsnNode(GOTO, site.resumeLabel));
        return code;
    }

    /** Reads a saved value onto the stack, typed as it was. */
    private InsnList get(Kind kind, Type type, int slot) {
        InsnList code = new InsnList();
        if (kind == Kind.NULL) {
            code.add(new InsnNode(ACONST_NULL));
            return code;
        }
        code.add(new VarInsnNode(ALOAD, frameLocal));
        code.add(pushInt(slot));
        code.add(new MethodInsnNode(INVOKESTATIC, Names.FRAME, "get" + kind.suffix,
                "(" + Names.FRAME_DESC + "I)" + kind.desc, false));
        if (kind == Kind.REF && !type.getInternalName().equals(OBJECT)) {
            code.add(new TypeInsnNode(CHECKCAST, castTarget(type)));
        }
        return code;
    }

    /** The operand of the checkcast that types a restored value (see {@link HierarchyView#accessibleClass}). */
    private String castTarget(Type type) {
        if (type.getSort() == Type.ARRAY) {
            Type element = type.getElementType();
            if (element.getSort() != Type.OBJECT) {
                return type.getDescriptor();
            }
            String accessible = hierarchy.accessibleClass(element.getInternalName());
            return "[".repeat(type.getDimensions()) + "L" + accessible + ";";
        }
        return hierarchy.accessibleClass(type.getInternalName());
    }

    /** Reads a saved value into a local. */
    private InsnList load(Kind kind, Type type, int slot, int local) {
        InsnList code = get(kind, type, slot);
        code.add(new VarInsnNode(kind.store, local));
        return code;
    }

    private void buildStub(Type[] argTypes, boolean isStatic, int maxRefs, int maxPrims) {
        LabelNode begin = new LabelNode();
        LabelNode end = new LabelNode();
        InsnList code = new InsnList();
        code.add(begin);
        int line = firstLine;
        if (line > 0) {
            code.add(new LineNumberNode(line, begin));
        }
        int frameVar = isStatic ? 0 : 1;
        for (Type t : argTypes) {
            frameVar += t.getSize();
        }
        code.add(new TypeInsnNode(NEW, Names.FRAME));
        code.add(new InsnNode(DUP));
        Handle metafactory = new Handle(H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory", "metafactory",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                        + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
                        + "Ljava/lang/invoke/CallSite;", false);
        Type resumeType = Type.getMethodType(Names.RESUME_DESC);
        code.add(new InvokeDynamicInsnNode("resume", "()L" + Names.BODY + ";", metafactory,
                resumeType, new Handle(H_INVOKESTATIC, owner.name, resumeName, Names.RESUME_DESC,
                        ownerIsInterface), resumeType));
        code.add(pushInt(maxRefs));
        code.add(pushInt(maxPrims));
        code.add(new MethodInsnNode(INVOKESPECIAL, Names.FRAME, "<init>",
                "(L" + Names.BODY + ";II)V", false));
        code.add(new VarInsnNode(ASTORE, frameVar));
        int refSlot = 0;
        int primSlot = 0;
        int local = 0;
        if (!isStatic) {
            code.add(store(Kind.REF, refSlot++, 0, frameVar));
            local = 1;
        }
        for (Type t : argTypes) {
            Kind kind = Kind.of(t);
            code.add(store(kind, kind.isPrimitive() ? primSlot++ : refSlot++, local, frameVar));
            local += t.getSize();
        }
        code.add(new VarInsnNode(ALOAD, frameVar));
        code.add(new InsnNode(ARETURN));
        code.add(end);

        // the parameters keep their names in the stub, for debuggers
        List<LocalVariableNode> params = new ArrayList<>();
        if (method.localVariables != null) {
            for (LocalVariableNode variable : method.localVariables) {
                if (variable.index < frameVar && isParameterEntry(variable)) {
                    params.add(new LocalVariableNode(variable.name, variable.desc, variable.signature,
                            begin, end, variable.index));
                }
            }
        }
        method.instructions = code;
        method.tryCatchBlocks = new ArrayList<>();
        method.localVariables = params;
        method.visibleLocalVariableAnnotations = null;
        method.invisibleLocalVariableAnnotations = null;
        method.access &= ~ACC_SYNCHRONIZED;
        method.maxLocals = frameVar + 1;
        method.maxStack = 6;
        stub = method;
    }

    /**
     * {@code @AwaitSites(method, file, line, lines)} for the resume method: {@code lines[k - 1]}
     * is the line of the site that stores state {@code k} (see {@code dev.coro.spi.AwaitSites}).
     */
    private org.objectweb.asm.tree.AnnotationNode awaitSites(List<Site> sites) {
        org.objectweb.asm.tree.AnnotationNode annotation = new org.objectweb.asm.tree.AnnotationNode(Names.AWAIT_SITES_DESC);
        annotation.visit("method", method.name);
        annotation.visit("file", owner.sourceFile == null ? "" : owner.sourceFile);
        annotation.visit("line", firstLine);
        int[] lines = new int[sites.size()];
        for (Site site : sites) {
            lines[site.number - 1] = site.line > 0 ? site.line : -1;
        }
        annotation.visit("lines", lines);
        return annotation;
    }

    private boolean isParameterEntry(LocalVariableNode variable) {
        // a parameter's entry starts at the method's first label
        return variable.start == originalFirstLabel;
    }

    private InsnList store(Kind kind, int slot, int local, int frameVar) {
        InsnList code = new InsnList();
        code.add(new VarInsnNode(kind.load, local));
        code.add(new VarInsnNode(ALOAD, frameVar));
        code.add(pushInt(slot));
        code.add(new MethodInsnNode(INVOKESTATIC, Names.FRAME, "put" + kind.suffix,
                "(" + kind.desc + Names.FRAME_DESC + "I)V", false));
        return code;
    }

    static AbstractInsnNode pushInt(int value) {
        if (value >= -1 && value <= 5) {
            return new InsnNode(ICONST_0 + value);
        }
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            return new IntInsnNode(BIPUSH, value);
        }
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return new IntInsnNode(SIPUSH, value);
        }
        return new LdcInsnNode(value);
    }

    // ------------------------------------------------------------------ diagnostics

    /** {@code com.acme.Foo.bar(Foo.java:12)}, as a stack trace names a place. */
    private String where(int line) {
        String file = owner.sourceFile == null ? "Unknown Source" : owner.sourceFile;
        return owner.name.replace('/', '.') + "." + method.name + "(" + file
                + (line > 0 && owner.sourceFile != null ? ":" + line : "") + ")";
    }

    private String display() {
        return Names.display(owner.name, method.name);
    }

    private void refuse(AbstractInsnNode at, String message) {
        int line = at == null ? Names.firstLine(method) : Names.lineOf(at);
        diagnostics.add(new Diagnostic(owner.name, owner.sourceFile, line, method.name, method.desc, message));
    }
}
