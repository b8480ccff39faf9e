package dev.coro.junit;

import dev.coro.Coroutine;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.discovery.SelectorResolver;
import org.junit.platform.engine.support.hierarchical.EngineExecutionContext;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestEngine;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * The JUnit Platform engine (id {@value #ENGINE_ID}) that runs Coro tests: methods annotated
 * {@link CoroTest @CoroTest}, and {@code @Test} methods returning {@code Coroutine} in classes
 * extended with {@link CoroExtension}. Found by the platform through
 * {@code META-INF/services/org.junit.platform.engine.TestEngine}; Surefire, Gradle and IDEs run it
 * next to Jupiter with no set-up. See {@link CoroExtension} for how a test runs and fails.
 *
 * <p>A {@code @Test} method returning {@code Coroutine} in a class without the extension, or a
 * {@code @CoroTest} method that does not return {@code Coroutine}, is reported as a failed test
 * saying what to change: Jupiter alone would skip it.
 */
public final class CoroTestEngine extends HierarchicalTestEngine<CoroTestEngine.RunContext> {
    /** The engine's id, the first segment of its tests' unique ids. */
    public static final String ENGINE_ID = "coro";
    private static final String CLASS_SEGMENT = "class";
    private static final String METHOD_SEGMENT = "method";

    /** Made by the platform's service loader. */
    public CoroTestEngine() {
    }

    @Override
    public String getId() {
        return ENGINE_ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.coro");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("coro-junit");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "Coro");
        EngineDiscoveryRequestResolver.<EngineDescriptor>builder()
                // Package, class-path and module scans find top-level classes only; a nested class
                // runs when selected itself (as the test kit does with the samples of this module).
                .addClassContainerSelectorResolver(type -> type.getEnclosingClass() == null && hasCoroTests(type))
                .addSelectorResolver(context -> new Resolver())
                .build()
                .resolve(request, engine);
        return engine;
    }

    @Override
    protected RunContext createExecutionContext(ExecutionRequest request) {
        return new RunContext();
    }

    /** Nothing is shared between tests. */
    static final class RunContext implements EngineExecutionContext {
    }

    // ---------------------------------------------------------------- which methods

    /** A Coro test, or a method that looks like one and must be reported. */
    static boolean isCoroCandidate(Method method) {
        return AnnotationSupport.isAnnotated(method, CoroTest.class)
                || (AnnotationSupport.isAnnotated(method, Test.class)
                        && Coroutine.class.isAssignableFrom(method.getReturnType()));
    }

    static boolean hasCoroTests(Class<?> type) {
        return isTestClass(type) && !coroMethods(type).isEmpty();
    }

    private static boolean isTestClass(Class<?> type) {
        return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic()
                && !Modifier.isAbstract(type.getModifiers()) && !type.isInterface()
                && (type.getEnclosingClass() == null || Modifier.isStatic(type.getModifiers()));
    }

    static List<Method> coroMethods(Class<?> type) {
        return ReflectionSupport.findMethods(type, CoroTestEngine::isCoroCandidate, HierarchyTraversalMode.TOP_DOWN);
    }

    static boolean isExtended(Class<?> type) {
        return AnnotationSupport.findRepeatableAnnotations(type, ExtendWith.class).stream()
                .flatMap(e -> java.util.Arrays.stream(e.value()))
                .anyMatch(CoroExtension.class::equals);
    }

    /** Why {@code method} cannot run as a Coro test, or null if it can. */
    static String misconfiguration(Class<?> type, Method method) {
        String name = type.getSimpleName() + "." + method.getName() + "()";
        if (!Coroutine.class.isAssignableFrom(method.getReturnType())) {
            return name + " is @CoroTest but returns " + method.getReturnType().getName()
                    + ": make it an @Async method returning Coroutine<Void> (`return done();`), or use @Test";
        }
        if (!AnnotationSupport.isAnnotated(method, CoroTest.class) && !isExtended(type)) {
            return name + " is a @Test returning Coroutine, which JUnit Jupiter does not run (it runs void"
                    + " methods only): add @ExtendWith(CoroExtension.class) to " + type.getSimpleName()
                    + ", or use @CoroTest instead of @Test";
        }
        if (Modifier.isPrivate(method.getModifiers())) {
            return name + " is private: a test method must not be private";
        }
        return null;
    }

    // ---------------------------------------------------------------- discovery

    /** Resolves class, method and unique-id selectors into class and method descriptors. */
    private static final class Resolver implements SelectorResolver {
        @Override
        public Resolution resolve(ClassSelector selector, Context context) {
            Class<?> type = selector.getJavaClass();
            if (!hasCoroTests(type)) {
                return Resolution.unresolved();
            }
            Optional<ClassDescriptor> descriptor =
                    context.addToParent(parent -> Optional.of(new ClassDescriptor(parent.getUniqueId(), type)));
            if (descriptor.isEmpty()) {
                return Resolution.unresolved();
            }
            return Resolution.match(Match.exact(descriptor.get(), () -> {
                Set<DiscoverySelector> children = new LinkedHashSet<>();
                for (Method m : coroMethods(type)) {
                    children.add(DiscoverySelectors.selectMethod(type, m));
                }
                return children;
            }));
        }

        @Override
        public Resolution resolve(MethodSelector selector, Context context) {
            Class<?> type = selector.getJavaClass();
            Method method = selector.getJavaMethod();
            if (!isTestClass(type) || !isCoroCandidate(method)) {
                return Resolution.unresolved();
            }
            return context.addToParent(() -> DiscoverySelectors.selectClass(type),
                            parent -> Optional.of(new MethodDescriptor(parent.getUniqueId(), type, method)))
                    .map(descriptor -> Resolution.match(Match.exact(descriptor)))
                    .orElse(Resolution.unresolved());
        }

        @Override
        public Resolution resolve(UniqueIdSelector selector, Context context) {
            List<UniqueId.Segment> segments = selector.getUniqueId().getSegments();
            if (segments.size() < 2 || !segments.get(0).getValue().equals(ENGINE_ID)
                    || !segments.get(1).getType().equals(CLASS_SEGMENT)) {
                return Resolution.unresolved();
            }
            Optional<Class<?>> type = ReflectionSupport.tryToLoadClass(segments.get(1).getValue()).toOptional();
            if (type.isEmpty()) {
                return Resolution.unresolved();
            }
            if (segments.size() == 2) {
                return Resolution.selectors(Set.of(DiscoverySelectors.selectClass(type.get())));
            }
            String wanted = segments.get(2).getValue();
            for (Method method : coroMethods(type.get())) {
                if (methodSegment(method).equals(wanted)) {
                    return Resolution.selectors(Set.of(DiscoverySelectors.selectMethod(type.get(), method)));
                }
            }
            return Resolution.unresolved();
        }
    }

    static String methodSegment(Method method) {
        return method.getName() + "(" + java.util.Arrays.stream(method.getParameterTypes())
                .map(Class::getName).collect(Collectors.joining(",")) + ")";
    }

    // ---------------------------------------------------------------- descriptors

    /** A test class: a container. */
    static final class ClassDescriptor extends AbstractTestDescriptor implements Node<RunContext> {
        ClassDescriptor(UniqueId parent, Class<?> type) {
            super(parent.append(CLASS_SEGMENT, type.getName()), type.getSimpleName(), ClassSource.from(type));
        }

        @Override
        public Type getType() {
            return Type.CONTAINER;
        }

        @Override
        public SkipResult shouldBeSkipped(RunContext context) {
            return skipResult(((ClassSource) getSource().orElseThrow()).getJavaClass());
        }
    }

    /** One Coro test method. */
    static final class MethodDescriptor extends AbstractTestDescriptor implements Node<RunContext> {
        private final Class<?> type;
        private final Method method;

        MethodDescriptor(UniqueId parent, Class<?> type, Method method) {
            super(parent.append(METHOD_SEGMENT, methodSegment(method)), method.getName() + "()",
                    MethodSource.from(type, method));
            this.type = type;
            this.method = method;
        }

        @Override
        public Type getType() {
            return Type.TEST;
        }

        @Override
        public SkipResult shouldBeSkipped(RunContext context) {
            return skipResult(method);
        }

        @Override
        public RunContext execute(RunContext context, DynamicTestExecutor dynamicTestExecutor) throws Exception {
            String problem = misconfiguration(type, method);
            if (problem != null) {
                throw new AssertionError(problem);
            }
            try {
                runTest();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
            return context;
        }

        private void runTest() throws Throwable {
            Object instance = Modifier.isStatic(method.getModifiers()) ? null : newInstance(type);
            List<Method> before = lifecycleMethods(BeforeEach.class, HierarchyTraversalMode.TOP_DOWN);
            List<Method> after = lifecycleMethods(AfterEach.class, HierarchyTraversalMode.BOTTOM_UP);
            Throwable failure = null;
            try {
                for (Method m : before) {
                    invoke(m, instance);
                }
                Optional<CoroTest> settings = AnnotationSupport.findAnnotation(method, CoroTest.class);
                boolean realTime = isRealTime();
                long seconds = settings.map(CoroTest::timeoutSeconds).orElse(0L);
                long realSeconds = settings.map(CoroTest::realTimeoutSeconds).orElse(0L);
                Duration limit = seconds > 0 ? Duration.ofSeconds(seconds)
                        : realTime ? CoroExtension.DEFAULT_REAL_TIMEOUT : CoroExtension.DEFAULT_VIRTUAL_TIMEOUT;
                Duration realLimit = realSeconds > 0 ? Duration.ofSeconds(realSeconds) : CoroExtension.DEFAULT_REAL_TIMEOUT;
                new TestRun(method, instance, realTime, limit, realLimit).run();
            } catch (Throwable e) {
                failure = e;
            }
            for (Method m : after) {
                try {
                    invoke(m, instance);
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        private List<Method> lifecycleMethods(Class<? extends java.lang.annotation.Annotation> annotation,
                HierarchyTraversalMode order) {
            if (Modifier.isStatic(method.getModifiers())) {
                return Collections.emptyList();
            }
            Predicate<Method> wanted = m -> AnnotationSupport.isAnnotated(m, annotation) && !Modifier.isStatic(m.getModifiers());
            List<Method> methods = new ArrayList<>(ReflectionSupport.findMethods(type, wanted, order));
            for (Method m : methods) {
                if (m.getParameterCount() != 0) {
                    throw new AssertionError("@" + annotation.getSimpleName() + " " + type.getSimpleName() + "."
                            + m.getName() + "() takes parameters: before and after a Coro test only methods"
                            + " without parameters run");
                }
            }
            return methods;
        }

        private boolean isRealTime() {
            return AnnotationSupport.isAnnotated(method, RealTime.class) || AnnotationSupport.isAnnotated(type, RealTime.class);
        }
    }

    private static Node.SkipResult skipResult(java.lang.reflect.AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, Disabled.class)
                .map(d -> Node.SkipResult.skip(d.value().isEmpty() ? element + " is @Disabled" : d.value()))
                .orElse(Node.SkipResult.doNotSkip());
    }

    private static Object newInstance(Class<?> type) throws Throwable {
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(type.getName() + " has no constructor without parameters: a Coro test class"
                    + " needs one", e);
        }
        constructor.setAccessible(true);
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void invoke(Method method, Object instance) throws Throwable {
        method.setAccessible(true);
        try {
            method.invoke(instance);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
