package dev.coro.transform;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The caller's {@link ClassHierarchy} plus the class being rewritten (which the caller may not
 * see yet), with the questions the rewriter asks: super class, interface or not, subtype or not,
 * common super class. Records the classes it could not find, for the diagnostics.
 */
final class HierarchyView {
    /**
     * The runtime's types the rewritten code itself introduces (the frame sits in local 0 of
     * every resume method), known even when the caller's hierarchy does not have the runtime.
     */
    private static final java.util.Map<String, ClassHierarchy.ClassInfo> BUILT_IN = java.util.Map.of(
            Names.FRAME, new ClassHierarchy.ClassInfo(Names.FRAME, Names.COROUTINE, new String[0], false),
            Names.COROUTINE, new ClassHierarchy.ClassInfo(Names.COROUTINE, "java/lang/Object",
                    new String[] {Names.AWAITABLE}, false),
            Names.AWAITABLE, new ClassHierarchy.ClassInfo(Names.AWAITABLE, "java/lang/Object", new String[0], true));

    private final ClassHierarchy hierarchy;
    private final ClassHierarchy.ClassInfo current;
    private final Set<String> unknown = new TreeSet<>();

    HierarchyView(ClassHierarchy hierarchy, ClassHierarchy.ClassInfo current) {
        this.hierarchy = hierarchy;
        this.current = current;
    }

    ClassHierarchy.ClassInfo lookup(String name) {
        if (current != null && current.name().equals(name)) {
            return current;
        }
        ClassHierarchy.ClassInfo info = null;
        if (hierarchy != null) {
            info = hierarchy.lookup(name);
        }
        if (info == null) {
            byte[] bytes = ClassFiles.readPlatformClass(name);
            if (bytes != null) {
                info = ClassFiles.info(bytes);
            }
        }
        if (info == null) {
            info = BUILT_IN.get(name);
        }
        if (info == null) {
            synchronized (unknown) {
                unknown.add(name);
            }
        }
        return info;
    }

    /** @return the classes that could not be found so far */
    Set<String> unknownClasses() {
        synchronized (unknown) {
            return new TreeSet<>(unknown);
        }
    }

    boolean isInterface(String name) {
        ClassHierarchy.ClassInfo info = lookup(name);
        return info != null && info.isInterface();
    }

    String superName(String name) {
        if (name.equals("java/lang/Object")) {
            return null;
        }
        ClassHierarchy.ClassInfo info = lookup(name);
        return info == null ? null : info.superName();
    }

    /** Whether {@code sub} is {@code sup} or extends or implements it (unknown classes: no). */
    boolean isSubtype(String sub, String sup) {
        if (sub.equals(sup) || sup.equals("java/lang/Object")) {
            return true;
        }
        ArrayDeque<String> work = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        work.add(sub);
        while (!work.isEmpty()) {
            String name = work.poll();
            if (!seen.add(name)) {
                continue;
            }
            if (name.equals(sup)) {
                return true;
            }
            ClassHierarchy.ClassInfo info = lookup(name);
            if (info == null) {
                continue;
            }
            if (info.superName() != null) {
                work.add(info.superName());
            }
            if (info.interfaces() != null) {
                for (String itf : info.interfaces()) {
                    work.add(itf);
                }
            }
        }
        return false;
    }

    /** The common super class, as {@code ClassWriter.getCommonSuperClass} defines it. */
    String commonSuperClass(String type1, String type2) {
        if (isSubtype(type2, type1)) {
            return type1;
        }
        if (isSubtype(type1, type2)) {
            return type2;
        }
        if (isInterface(type1) || isInterface(type2)) {
            return "java/lang/Object";
        }
        String candidate = type1;
        while (candidate != null) {
            if (isSubtype(type2, candidate)) {
                return candidate;
            }
            candidate = superName(candidate);
        }
        return "java/lang/Object";
    }

    /**
     * The class to cast a restored value to: {@code name} itself when the rewritten class may
     * name it, else its nearest superclass that it may name. Example: {@code StringBuilder} and
     * {@code StringBuffer} merge to the package-private {@code java/lang/AbstractStringBuilder}; a
     * {@code checkcast} to it would fail with {@code IllegalAccessError}. The code that follows
     * only uses the value through types it may name, which that superclass is still assignable to.
     *
     * @param name an internal class name
     * @return a class the rewritten class may name
     */
    String accessibleClass(String name) {
        String candidate = name;
        while (candidate != null && !isAccessible(candidate)) {
            candidate = superName(candidate);
        }
        return candidate == null ? "java/lang/Object" : candidate;
    }

    private boolean isAccessible(String name) {
        if (current == null || packageOf(name).equals(packageOf(current.name()))) {
            return true;
        }
        ClassHierarchy.ClassInfo info = lookup(name);
        return info == null || info.isPublic();
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
