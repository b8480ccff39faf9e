package dev.coro.transform;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * Precise types of locals and stack values, for saving and restoring them: ASM's
 * {@link SimpleVerifier} with the class hierarchy taken from a {@link ClassHierarchy} (never
 * loading classes), no verification (javac's output is trusted; checks always pass), and
 * uninitialised objects ({@code NEW} not yet constructed) told apart by their {@code NEW}
 * instruction.
 */
final class TypeInterpreter extends SimpleVerifier {
    private static final Type OBJECT = Type.getObjectType("java/lang/Object");

    private final HierarchyView hierarchy;

    TypeInterpreter(HierarchyView hierarchy) {
        super(Opcodes.ASM9, null, null, null, false);
        this.hierarchy = hierarchy;
    }

    /** An object created by {@code NEW} whose constructor has not run yet. */
    static final class UninitializedValue extends BasicValue {
        final AbstractInsnNode newInsn;

        UninitializedValue(Type type, AbstractInsnNode newInsn) {
            super(type);
            this.newInsn = newInsn;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof UninitializedValue u && u.newInsn == newInsn;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(newInsn);
        }

        @Override
        public String toString() {
            return "uninitialized " + getType();
        }
    }

    @Override
    public BasicValue newOperation(AbstractInsnNode insn) throws AnalyzerException {
        if (insn.getOpcode() == Opcodes.NEW) {
            return new UninitializedValue(Type.getObjectType(((TypeInsnNode) insn).desc), insn);
        }
        return super.newOperation(insn);
    }

    @Override
    public BasicValue merge(BasicValue value1, BasicValue value2) {
        if (value1 instanceof UninitializedValue || value2 instanceof UninitializedValue) {
            return value1.equals(value2) ? value1 : BasicValue.UNINITIALIZED_VALUE;
        }
        return super.merge(value1, value2);
    }

    @Override
    protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
        return true; // not a verifier: the input passed javac and the JVM's rules already
    }

    @Override
    protected BasicValue getElementValue(BasicValue objectArrayValue) throws AnalyzerException {
        Type type = objectArrayValue.getType();
        if (type != null && type.getSort() == Type.ARRAY) {
            return newValue(Type.getType(type.getDescriptor().substring(1)));
        }
        return objectArrayValue; // null (the NULL type) or imprecise: keep what we know
    }

    @Override
    protected boolean isInterface(Type type) {
        return hierarchy.isInterface(type.getInternalName());
    }

    @Override
    protected Type getSuperClass(Type type) {
        if (type.getSort() != Type.OBJECT) {
            return type.getSort() == Type.ARRAY ? OBJECT : null;
        }
        if (type.getInternalName().equals("java/lang/Object")) {
            return null;
        }
        // unknown classes (recorded by the hierarchy, reported as a diagnostic) end at Object
        String superName = hierarchy.superName(type.getInternalName());
        return superName == null ? OBJECT : Type.getObjectType(superName);
    }

    @Override
    protected boolean isAssignableFrom(Type type1, Type type2) {
        if (type1.equals(type2)) {
            return true;
        }
        if (type2.getSort() == Type.OBJECT && "null".equals(type2.getInternalName())) {
            return true;
        }
        if (type1.getSort() == Type.OBJECT && "null".equals(type1.getInternalName())) {
            return false; // only null is assignable to the null type
        }
        if (type1.getSort() == Type.ARRAY) {
            if (type2.getSort() != Type.ARRAY) {
                return false;
            }
            Type component1 = Type.getType(type1.getDescriptor().substring(1));
            Type component2 = Type.getType(type2.getDescriptor().substring(1));
            boolean ref1 = component1.getSort() == Type.OBJECT || component1.getSort() == Type.ARRAY;
            boolean ref2 = component2.getSort() == Type.OBJECT || component2.getSort() == Type.ARRAY;
            return ref1 && ref2 ? isAssignableFrom(component1, component2) : component1.equals(component2);
        }
        if (type1.getSort() != Type.OBJECT) {
            return false;
        }
        String name1 = type1.getInternalName();
        if (name1.equals("java/lang/Object")) {
            return true;
        }
        if (type2.getSort() == Type.ARRAY) {
            return name1.equals("java/lang/Cloneable") || name1.equals("java/io/Serializable");
        }
        if (type2.getSort() != Type.OBJECT) {
            return false;
        }
        return hierarchy.isSubtype(type2.getInternalName(), name1);
    }

    /** Collects the NEW instructions whose uninitialised value is on the stack of a frame. */
    static List<AbstractInsnNode> uninitializedOnStack(Frame<BasicValue> frame, int depth) {
        List<AbstractInsnNode> result = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            if (frame.getStack(i) instanceof UninitializedValue u && !result.contains(u.newInsn)) {
                result.add(u.newInsn);
            }
        }
        return result;
    }

    /**
     * ASM's frame, plus the one rule of the JVM it lacks: a constructor call initialises every
     * copy of the object it constructs.
     */
    static class TypeFrame extends Frame<BasicValue> {
        TypeFrame(int numLocals, int maxStack) {
            super(numLocals, maxStack);
        }

        TypeFrame(Frame<? extends BasicValue> frame) {
            super(frame);
        }

        @Override
        public void execute(AbstractInsnNode insn, Interpreter<BasicValue> interpreter)
                throws AnalyzerException {
            if (insn.getOpcode() == Opcodes.INVOKESPECIAL
                    && ((MethodInsnNode) insn).name.equals("<init>")) {
                int args = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
                BasicValue receiver = getStack(getStackSize() - args - 1);
                super.execute(insn, interpreter);
                if (receiver instanceof UninitializedValue) {
                    BasicValue initialized = interpreter.newValue(receiver.getType());
                    for (int i = 0; i < getLocals(); i++) {
                        if (getLocal(i) == receiver) {
                            setLocal(i, initialized);
                        }
                    }
                    for (int i = 0; i < getStackSize(); i++) {
                        if (getStack(i) == receiver) {
                            setStack(i, initialized);
                        }
                    }
                }
                return;
            }
            super.execute(insn, interpreter);
        }
    }
}
