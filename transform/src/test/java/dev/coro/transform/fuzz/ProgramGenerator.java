package dev.coro.transform.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, reproducible generator of random {@code @Async} methods, each with a plain reference
 * version: the same source text rendered twice. Where the async version awaits a value
 * ({@code await(A.v(x))}), the plain one passes it through ({@code A.p(x)}); both count the
 * values in the same order and throw at the same one when told to ({@link FuzzMode#failAt}), so
 * the two must leave the same log and end the same way.
 *
 * <p>What a program mixes: loops of every form with labelled {@code break}/{@code continue};
 * {@code try}/{@code catch}/{@code finally} with awaits in each part, nested, and
 * try-with-resources; classic, string and arrow switches and switch expressions; conditionals;
 * awaits inside expressions with values on the operand stack (arguments, constructor arguments,
 * array stores, string concatenation, compound assignment, ternaries); every primitive type,
 * arrays and {@code null} in locals across awaits; static and instance helpers, recursion and
 * async lambdas; exceptions from awaited values caught at several levels; a synchronized block
 * (without an await inside) next to awaits; early returns.
 *
 * <p>The template uses markers, rendered by {@link #render}: {@code «x»} an awaited value,
 * {@code ⟦c⟧} the await of a generated coroutine call, {@code §} the plain version's name
 * suffix, {@code ⟪x⟫} a return, {@code ⦃T⦄} a coroutine's result type, {@code ⌘} the
 * {@code @Async} annotation.
 */
public final class ProgramGenerator {
    /** The support class every program uses; compiled with them (it has @Async methods itself). */
    public static final String SUPPORT_SOURCE = """
            package fuzz;

            import static dev.coro.Coro.await;
            import static dev.coro.Coro.done;
            import static dev.coro.Coro.sleep;

            import dev.coro.Async;
            import dev.coro.Awaitable;
            import dev.coro.Coroutine;
            import dev.coro.transform.Boom;
            import dev.coro.transform.fuzz.FuzzMode;
            import java.time.Duration;

            /** The awaitables of the generated programs; their behaviour is chosen by FuzzMode. */
            public final class A {
                private A() {
                }

                public static <T> Awaitable<T> v(T value) {
                    int n = ++FuzzMode.made;
                    boolean fail = n == FuzzMode.failAt;
                    if (FuzzMode.suspend) {
                        return fail ? failLater(n) : later(value);
                    }
                    return fail ? failNow(n) : done(value);
                }

                public static <T> T p(T value) {
                    int n = ++FuzzMode.made;
                    if (n == FuzzMode.failAt) {
                        throw new Boom("fail " + n);
                    }
                    return value;
                }

                @Async
                static <T> Coroutine<T> later(T value) {
                    await(sleep(Duration.ZERO));
                    return done(value);
                }

                @Async
                static <T> Coroutine<T> failLater(int n) {
                    await(sleep(Duration.ZERO));
                    throw new Boom("fail " + n);
                }

                @Async
                static <T> Coroutine<T> failNow(int n) {
                    throw new Boom("fail " + n);
                }
            }
            """;

    private enum T {
        INT("int", "Integer"), LONG("long", "Long"), DOUBLE("double", "Double"), BOOLEAN("boolean", "Boolean"),
        CHAR("char", "Character"), BYTE("byte", "Byte"), SHORT("short", "Short"), FLOAT("float", "Float"),
        STRING("String", "String"), INTS("int[]", "int[]"), OBJECT("Object", "Object");

        final String name;
        final String boxed;

        T(String name, String boxed) {
            this.name = name;
            this.boxed = boxed;
        }

        boolean numeric() {
            return this == INT || this == LONG || this == DOUBLE || this == FLOAT || this == BYTE
                    || this == SHORT || this == CHAR;
        }
    }

    private record Var(String name, T type, boolean writable) {
    }

    private final Random random;
    private final String className;
    private final StringBuilder out = new StringBuilder();
    private final List<List<Var>> scopes = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final List<String> lambdas = new ArrayList<>();
    private int names;
    private int indent;
    private int budget;
    private int loopDepth;
    private boolean inLambdaOrHelper;
    /** Inside a synchronized block, a try-with-resources header or anything else that must not await. */
    private boolean noAwait;
    /** Inside a finally block: no return (it would hide the exception in flight, legal but noisy). */
    private boolean inFinally;
    /** Inside a switch expression's arm: no return, and break/continue only of loops inside it. */
    private boolean inSwitchExpression;

    /**
     * @param seed the seed: the same seed gives the same program
     * @param className the simple name of the class to generate (package {@code fuzz})
     */
    public ProgramGenerator(long seed, String className) {
        this.random = new Random(seed);
        this.className = className;
    }

    /**
     * Generates one program class: the fixed members once, then the generated methods rendered
     * twice, the async versions under their names and the plain ones with {@code _p} appended.
     *
     * @return the Java source of class {@code fuzz.<className>}
     */
    public String generate() {
        line("package fuzz;");
        line("");
        line("import static dev.coro.Coro.await;");
        line("import static dev.coro.Coro.done;");
        line("");
        line("import dev.coro.Async;");
        line("import dev.coro.Coroutine;");
        line("import dev.coro.transform.Boom;");
        line("import java.util.List;");
        line("import java.util.function.IntFunction;");
        line("");
        line("public final class " + className + " {");
        indent++;
        line("private static final Object LOCK = new Object();");
        line("private static int counter;");
        line("private int field = 7;");
        line("");
        line("static final class Res implements AutoCloseable {");
        line("    private final StringBuilder log;");
        line("    private final String name;");
        line("    Res(StringBuilder log, String name) { this.log = log; this.name = name; log.append(\"open \").append(name).append(';'); }");
        line("    @Override public void close() { log.append(\"close \").append(name).append(';'); }");
        line("}");
        line("");
        line("static final class Box {");
        line("    private final Object left;");
        line("    private final Object right;");
        line("    Box(Object left, Object right) { this.left = left; this.right = right; }");
        line("    @Override public String toString() { return \"<\" + left + \",\" + right + \">\"; }");
        line("}");
        line("");
        line("static String mix(Object a, long b, Object c) { return a + \"/\" + b + \"/\" + c; }");
        line("");
        int methodsStart = out.length();
        // recursion, with an await on the way down and one on the way up
        line("⌘static ⦃Integer⦄ rec§(StringBuilder log, int n) {");
        line("    if (n <= 0) {");
        line("        ⟪«0»⟫");
        line("    }");
        line("    log.append(\"rec\").append(n).append(';');");
        line("    int r = «n» + ⟦rec§(log, n - 1)⟧;");
        line("    ⟪r * 2⟫");
        line("}");
        line("");
        helper(true);
        helper(false);
        line("⌘public static ⦃String⦄ main§(StringBuilder log) {");
        indent++;
        scopes.add(new ArrayList<>());
        line("counter = 0;");
        line(className + " self = new " + className + "();");
        lambda();
        budget = 14 + random.nextInt(14);
        block(3);
        line("⟪\"end \" + " + expr(T.STRING, 2) + "⟫");
        scopes.remove(scopes.size() - 1);
        indent--;
        line("}");
        String methods = out.substring(methodsStart);
        return out.substring(0, methodsStart) + render(methods, true) + "\n    // ---- the plain reference versions ----\n\n"
                + render(methods, false) + "}\n";
    }

    /**
     * Renders a template as the async version or the plain reference version.
     *
     * @param template generated methods with markers
     * @param async whether to render the async version
     * @return Java source
     */
    public static String render(String template, boolean async) {
        StringBuilder source = new StringBuilder(template.length() + 256);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            switch (c) {
                case '«' -> source.append(async ? "await(A.v(" : "A.p(");
                case '»' -> source.append(async ? "))" : ")");
                case '⟦' -> source.append(async ? "await(" : "(");
                case '⟧' -> source.append(')');
                case '§' -> source.append(async ? "" : "_p");
                case '⟪' -> source.append(async ? "return done(" : "return (");
                case '⟫' -> source.append(");");
                case '⦃' -> source.append(async ? "Coroutine<" : "");
                case '⦄' -> source.append(async ? ">" : "");
                case '⌘' -> source.append(async ? "@Async " : "");
                default -> source.append(c);
            }
        }
        return source.toString();
    }

    // ------------------------------------------------------------------ members

    private void helper(boolean isStatic) {
        String name = isStatic ? "h0" : "g0";
        if (isStatic) {
            line("⌘static ⦃Integer⦄ h0§(StringBuilder log, int a, long b) {");
        } else {
            line("⌘⦃Integer⦄ g0§(StringBuilder log, int a, long b) {");
        }
        indent++;
        scopes.add(new ArrayList<>());
        scope().add(new Var("a", T.INT, true));
        scope().add(new Var("b", T.LONG, true));
        if (!isStatic) {
            scope().add(new Var("field", T.INT, true));
        }
        inLambdaOrHelper = true;
        budget = 4 + random.nextInt(4);
        line("log.append(\"" + name + "\").append(a).append(';');");
        block(1);
        line("⟪(int) (a + b)" + (isStatic ? "" : " + field") + "⟫");
        inLambdaOrHelper = false;
        scopes.remove(scopes.size() - 1);
        indent--;
        line("}");
        line("");
    }

    private void lambda() {
        String name = "f" + lambdas.size();
        line("IntFunction<⦃Integer⦄> " + name + " = x -> {");
        indent++;
        List<List<Var>> saved = new ArrayList<>(scopes);
        scopes.clear();
        scopes.add(new ArrayList<>());
        scope().add(new Var("x", T.INT, true));
        inLambdaOrHelper = true;
        budget = 3 + random.nextInt(3);
        block(1);
        line("⟪x + " + expr(T.INT, 1) + "⟫");
        inLambdaOrHelper = false;
        scopes.clear();
        scopes.addAll(saved);
        indent--;
        line("};");
        lambdas.add(name);
    }

    // ------------------------------------------------------------------ statements

    private List<Var> scope() {
        return scopes.get(scopes.size() - 1);
    }

    private void block(int depth) {
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count && budget > 0; i++) {
            statement(depth);
        }
    }

    private void nested(int depth, Runnable body) {
        scopes.add(new ArrayList<>());
        indent++;
        body.run();
        indent--;
        scopes.remove(scopes.size() - 1);
    }

    private void statement(int depth) {
        budget--;
        int choice = random.nextInt(depth > 0 ? 22 : 8);
        switch (choice) {
            case 0, 1, 2 -> declare();
            case 3 -> assign();
            case 4 -> line("log.append(" + expr(printableType(), 2) + ").append(';');");
            case 5 -> arrayStore();
            case 6 -> compound();
            case 7 -> earlyExit();
            case 8, 9 -> ifElse(depth);
            case 10 -> countedFor(depth);
            case 11 -> whileOrDo(depth);
            case 12 -> forEach(depth);
            case 13, 14 -> tryCatch(depth);
            case 15 -> tryWithResources(depth);
            case 16 -> classicSwitch(depth);
            case 17 -> stringSwitch(depth);
            case 18 -> switchExpression(depth);
            case 19 -> synchronizedBlock();
            case 20 -> throwMaybe();
            default -> labelledLoop(depth);
        }
    }

    private void declare() {
        T type = randomType();
        String name = "v" + names++;
        line(type.name + " " + name + " = " + expr(type, 3) + ";");
        scope().add(new Var(name, type, true));
    }

    private void assign() {
        Var target = pick(null, true);
        if (target == null) {
            declare();
            return;
        }
        line(target.name + " = " + expr(target.type, 3) + ";");
    }

    private void compound() {
        Var target = pick(null, true);
        if (target == null || !(target.type.numeric() || target.type == T.STRING)) {
            line("counter += " + expr(T.INT, 2) + ";");
            return;
        }
        String op = target.type == T.STRING ? "+=" : new String[] {"+=", "-=", "*=", "^="}[random.nextInt(
                target.type == T.DOUBLE || target.type == T.FLOAT ? 3 : 4)];
        line(target.name + " " + op + " " + expr(target.type == T.STRING ? printableType() : T.INT, 2) + ";");
    }

    private void arrayStore() {
        Var array = pick(T.INTS, false);
        if (array == null) {
            String name = "v" + names++;
            line("int[] " + name + " = {" + expr(T.INT, 1) + ", " + expr(T.INT, 1) + ", 3, 4};");
            scope().add(new Var(name, T.INTS, true));
            return;
        }
        String index = "Math.floorMod(" + expr(T.INT, 1) + ", " + array.name + ".length)";
        line(array.name + "[" + index + "] " + (random.nextBoolean() ? "=" : "+=") + " " + expr(T.INT, 2) + ";");
    }

    private void earlyExit() {
        String condition = expr(T.BOOLEAN, 2);
        if (loopDepth > 0 && random.nextInt(3) > 0) {
            line("if (" + condition + ") " + (random.nextBoolean() ? "break;" : "continue;"));
        } else if (!inLambdaOrHelper && !inFinally && !inSwitchExpression && random.nextInt(3) == 0) {
            line("if (" + condition + ") ⟪\"early \" + " + expr(T.STRING, 1) + "⟫");
        } else {
            line("log.append(" + expr(T.STRING, 2) + ");");
        }
    }

    private void throwMaybe() {
        line("if (" + expr(T.BOOLEAN, 2) + ") throw new IllegalStateException(\"thrown \" + " + expr(T.INT, 1) + ");");
    }

    private void ifElse(int depth) {
        line("if (" + expr(T.BOOLEAN, 3) + ") {");
        nested(depth, () -> block(depth - 1));
        if (random.nextBoolean()) {
            line("} else {");
            nested(depth, () -> block(depth - 1));
        }
        line("}");
    }

    private void loopBody(int depth) {
        loopDepth++;
        nested(depth, () -> block(depth - 1));
        loopDepth--;
    }

    private void countedFor(int depth) {
        String i = "i" + names++;
        int bound = 1 + random.nextInt(3);
        // sometimes the condition awaits, on every iteration
        String limit = noAwait || random.nextInt(3) > 0 ? Integer.toString(bound) : "((int) «" + bound + "»)";
        line("for (int " + i + " = 0; " + i + " < " + limit + "; " + i + "++) {");
        scopes.add(new ArrayList<>(List.of(new Var(i, T.INT, false))));
        loopBody(depth);
        scopes.remove(scopes.size() - 1);
        line("}");
    }

    private void whileOrDo(int depth) {
        String k = "k" + names++;
        int limit = 1 + random.nextInt(3);
        line("int " + k + " = 0;");
        scope().add(new Var(k, T.INT, false));
        switch (random.nextInt(3)) {
            case 0 -> {
                line("while (" + k + "++ < " + limit + ") {");
                loopBody(depth);
                line("}");
            }
            case 1 -> {
                line("do {");
                loopBody(depth);
                line("} while (++" + k + " < " + (noAwait || random.nextBoolean() ? Integer.toString(limit)
                        : "((int) «" + limit + "»)") + ");");
            }
            default -> {
                line("for (;;) {");
                indent++;
                line("if (" + k + "++ >= " + limit + ") break;");
                indent--;
                loopBody(depth);
                line("}");
            }
        }
    }

    private void forEach(int depth) {
        String e = "e" + names++;
        if (random.nextBoolean()) {
            line("for (int " + e + " : new int[] {" + expr(T.INT, 1) + ", " + expr(T.INT, 1) + "}) {");
            scopes.add(new ArrayList<>(List.of(new Var(e, T.INT, false))));
        } else {
            line("for (String " + e + " : List.of(\"x\", " + expr(T.STRING, 1) + ")) {");
            scopes.add(new ArrayList<>(List.of(new Var(e, T.STRING, false))));
        }
        loopBody(depth);
        scopes.remove(scopes.size() - 1);
        line("}");
    }

    private void labelledLoop(int depth) {
        String label = "L" + names++;
        String i = "i" + names++;
        String j = "j" + names++;
        line(label + ":");
        line("for (int " + i + " = 0; " + i + " < 2; " + i + "++) {");
        scopes.add(new ArrayList<>(List.of(new Var(i, T.INT, false))));
        indent++;
        line("for (int " + j + " = 0; " + j + " < 3; " + j + "++) {");
        scopes.add(new ArrayList<>(List.of(new Var(j, T.INT, false))));
        indent++;
        line("if (" + expr(T.BOOLEAN, 2) + ") continue " + label + ";");
        loopDepth++;
        block(Math.max(0, depth - 2));
        loopDepth--;
        line("if (" + expr(T.BOOLEAN, 2) + ") break " + label + ";");
        indent--;
        scopes.remove(scopes.size() - 1);
        line("}");
        indent--;
        scopes.remove(scopes.size() - 1);
        line("}");
    }

    private void tryCatch(int depth) {
        line("try {");
        nested(depth, () -> block(depth - 1));
        int catches = random.nextInt(3);
        String[] types = {"Boom", "IllegalStateException", "RuntimeException"};
        int first = random.nextInt(2);
        for (int c = 0; c < catches; c++) {
            String type = types[Math.min(2, first + c)];
            String e = "x" + names++;
            line("} catch (" + type + " " + e + ") {");
            nested(depth, () -> {
                line("log.append(\"caught \").append(" + e + ".getMessage()).append(';');");
                block(depth - 1);
                if (random.nextInt(4) == 0) {
                    line("if (" + expr(T.BOOLEAN, 1) + ") throw " + e + ";");
                }
            });
        }
        if (catches == 0 || random.nextBoolean()) {
            line("} finally {");
            boolean was = inFinally;
            inFinally = true;
            nested(depth, () -> {
                line("log.append(\"finally\").append(';');");
                block(depth - 1);
            });
            inFinally = was;
        }
        line("}");
    }

    private void tryWithResources(int depth) {
        String r = "r" + names++;
        String second = random.nextInt(3) == 0 ? "; Res " + r + "b = new Res(log, " + expr(T.STRING, 1) + ")" : "";
        line("try (Res " + r + " = new Res(log, " + expr(T.STRING, 1) + ")" + second + ") {");
        nested(depth, () -> block(depth - 1));
        if (random.nextBoolean()) {
            line("} catch (RuntimeException " + r + "x) {");
            nested(depth, () -> {
                line("log.append(\"twr caught \").append(" + r + "x.getMessage()).append(';');");
                block(depth - 1);
            });
        }
        line("}");
    }

    private void classicSwitch(int depth) {
        line("switch (" + expr(T.INT, 2) + " & 3) {");
        indent++;
        for (int c = 0; c < 3; c++) {
            line("case " + c + ":");
            nested(depth, () -> {
                line("{");
                nested(depth, () -> block(depth - 1));
                line("}");
                if (random.nextInt(3) > 0) {
                    line("break;");
                } else {
                    line("// falls through");
                }
            });
        }
        line("default:");
        nested(depth, () -> line("log.append(\"default;\");"));
        indent--;
        line("}");
    }

    private void stringSwitch(int depth) {
        line("switch (" + expr(T.BOOLEAN, 1) + " ? \"a\" : " + expr(T.STRING, 1) + ") {");
        indent++;
        line("case \"a\" -> {");
        nested(depth, () -> block(depth - 1));
        line("}");
        line("case \"b\", \"x\" -> log.append(\"bx;\");");
        line("default -> {");
        nested(depth, () -> block(depth - 1));
        line("}");
        indent--;
        line("}");
    }

    private void switchExpression(int depth) {
        T type = random.nextBoolean() ? T.INT : T.STRING;
        String name = "v" + names++;
        // as a constructor argument sometimes: javac spills the `new Box` when an arm has a try
        boolean inConstructor = type == T.STRING && random.nextBoolean();
        line(type.name + " " + name + " = " + (inConstructor ? "new Box(" + expr(T.INT, 1) + ", " : "")
                + "switch (" + expr(T.INT, 2) + " & 3) {");
        indent++;
        line("case 0 -> " + expr(type, 2) + ";");
        line("case 1 -> {");
        int outerLoops = loopDepth;
        boolean was = inSwitchExpression;
        loopDepth = 0;
        inSwitchExpression = true;
        String caught = "y" + names++;
        nested(depth, () -> {
            if (random.nextInt(4) == 0) { // ECJ 3.37 often crashes on these: not too many
                line("try {");
                nested(depth, () -> {
                    block(Math.max(0, depth - 2));
                    line("yield " + expr(type, 2) + ";");
                });
                line("} catch (RuntimeException " + caught + ") {");
                nested(depth, () -> line("yield " + (type == T.INT ? "-1" : "\"c\" + " + caught + ".getMessage()") + ";"));
                line("}");
            } else {
                block(Math.max(0, depth - 2));
                line("yield " + expr(type, 2) + ";");
            }
        });
        loopDepth = outerLoops;
        inSwitchExpression = was;
        line("}");
        line("default -> " + expr(type, 2) + ";");
        indent--;
        line("}" + (inConstructor ? ").toString()" : "") + ";");
        scope().add(new Var(name, type, true));
    }

    private void synchronizedBlock() {
        line("synchronized (LOCK) {");
        indent++;
        boolean was = noAwait;
        noAwait = true;
        line("counter += " + expr(T.INT, 1) + ";");
        noAwait = was;
        indent--;
        line("}");
    }

    // ------------------------------------------------------------------ expressions

    private T randomType() {
        T[] all = T.values();
        return all[random.nextInt(all.length)];
    }

    /** A type whose text does not depend on identity (no arrays: they print as {@code [I@1b2c}). */
    private T printableType() {
        T type = randomType();
        return type == T.INTS ? T.INT : type;
    }

    /** A variable of the type (any type when null), or null when none is in scope. */
    private Var pick(T type, boolean writable) {
        List<Var> candidates = new ArrayList<>();
        for (List<Var> scope : scopes) {
            for (Var var : scope) {
                if ((type == null || var.type == type) && (!writable || var.writable)) {
                    candidates.add(var);
                }
            }
        }
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private String awaited(T type, int depth) {
        String inner = expr(type, depth - 1);
        if (noAwait) {
            return inner;
        }
        String value = "«" + inner + "»";
        // A.v(x) infers the boxed type: unbox where the context needs the primitive
        return switch (type) {
            case INT, LONG, DOUBLE, BOOLEAN, CHAR, BYTE, SHORT, FLOAT -> "((" + type.name + ") " + value + ")";
            default -> value;
        };
    }

    private String expr(T type, int depth) {
        if (depth <= 0) {
            return leaf(type);
        }
        int choice = random.nextInt(10);
        if (choice < 3) {
            return leaf(type);
        }
        if (choice < 5) {
            return awaited(type, depth);
        }
        if (choice == 5) {
            return "(" + expr(T.BOOLEAN, depth - 1) + " ? " + expr(type, depth - 1) + " : " + expr(type, depth - 1) + ")";
        }
        return switch (type) {
            case INT -> switch (random.nextInt(6)) {
                case 0 -> "(" + expr(T.INT, depth - 1) + " + " + expr(T.INT, depth - 1) + ")";
                case 1 -> "(" + expr(T.INT, depth - 1) + " * " + expr(T.INT, depth - 1) + " - " + expr(T.INT, depth - 1) + ")";
                case 2 -> noAwait || inLambdaOrHelper ? "(" + expr(T.INT, depth - 1) + " ^ 5)"
                        : "((int) ⟦" + (random.nextBoolean() ? "h0§(log, " : "self.g0§(log, ") + expr(T.INT, depth - 1) + ", "
                        + expr(T.LONG, depth - 1) + ")⟧)";
                case 3 -> noAwait || inLambdaOrHelper || lambdas.isEmpty() ? "Math.max(" + expr(T.INT, depth - 1) + ", 3)"
                        : "((int) ⟦" + lambdas.get(random.nextInt(lambdas.size())) + ".apply(" + expr(T.INT, depth - 1) + ")⟧)";
                case 4 -> noAwait || inLambdaOrHelper ? "(" + expr(T.INT, depth - 1) + " | 1)"
                        : "((int) ⟦rec§(log, Math.floorMod(" + expr(T.INT, depth - 1) + ", 3))⟧)";
                default -> expr(T.STRING, depth - 1) + ".length()";
            };
            case LONG -> "(" + expr(T.LONG, depth - 1) + (random.nextBoolean() ? " + " : " * ") + expr(T.INT, depth - 1) + ")";
            case DOUBLE -> "(" + expr(T.DOUBLE, depth - 1) + " + " + expr(T.LONG, depth - 1) + " * 0.5)";
            case FLOAT -> "(" + expr(T.FLOAT, depth - 1) + " - " + expr(T.INT, depth - 1) + ")";
            case BYTE -> "(byte) (" + expr(T.BYTE, depth - 1) + " + " + expr(T.INT, depth - 1) + ")";
            case SHORT -> "(short) (" + expr(T.SHORT, depth - 1) + " * " + expr(T.BYTE, depth - 1) + ")";
            case CHAR -> "(char) ('a' + Math.floorMod(" + expr(T.INT, depth - 1) + ", 26))";
            case BOOLEAN -> switch (random.nextInt(4)) {
                case 0 -> "(" + expr(T.INT, depth - 1) + " < " + expr(T.INT, depth - 1) + ")";
                case 1 -> "(" + expr(T.BOOLEAN, depth - 1) + " && " + expr(T.BOOLEAN, depth - 1) + ")";
                case 2 -> "(" + expr(T.BOOLEAN, depth - 1) + " || !" + expr(T.BOOLEAN, depth - 1) + ")";
                default -> "(" + expr(T.OBJECT, depth - 1) + " == null)";
            };
            case STRING -> switch (random.nextInt(4)) {
                case 0 -> "(" + expr(printableType(), depth - 1) + " + \"-\" + " + expr(printableType(), depth - 1) + ")";
                case 1 -> "new Box(" + expr(printableType(), depth - 1) + ", " + expr(printableType(), depth - 1) + ").toString()";
                case 2 -> "mix(" + expr(T.STRING, depth - 1) + ", " + expr(T.LONG, depth - 1) + ", " + expr(T.OBJECT, depth - 1) + ")";
                default -> "String.valueOf(" + expr(printableType(), depth - 1) + ")";
            };
            case INTS -> "new int[] {" + expr(T.INT, depth - 1) + ", " + expr(T.INT, depth - 1) + "}";
            case OBJECT -> random.nextBoolean() ? expr(T.STRING, depth - 1) : "(Object) null";
        };
    }

    private String leaf(T type) {
        Var var = random.nextInt(3) > 0 ? pick(type, false) : null;
        if (var != null) {
            return var.name;
        }
        if (type == T.INT && random.nextInt(4) == 0) {
            Var array = pick(T.INTS, false);
            if (array != null) {
                return array.name + "[" + random.nextInt(2) + "]";
            }
        }
        int n = random.nextInt(20) - 5;
        return switch (type) {
            case INT -> Integer.toString(n);
            case LONG -> (n * 1_000_000_007L) + "L";
            case DOUBLE -> n + ".25";
            case FLOAT -> n + ".5f";
            case BOOLEAN -> random.nextBoolean() ? "(counter >= 0)" : "(counter < 0)";
            case CHAR -> "'" + (char) ('a' + Math.floorMod(n, 26)) + "'";
            case BYTE -> "(byte) " + n;
            case SHORT -> "(short) " + (n * 300);
            case STRING -> "\"s" + n + "\"";
            case INTS -> "new int[] {" + n + ", " + (n + 1) + "}";
            case OBJECT -> random.nextBoolean() ? "(Object) null" : "(Object) \"o" + n + "\"";
        };
    }

    private void line(String text) {
        out.append("    ".repeat(indent)).append(text).append('\n');
    }
}
