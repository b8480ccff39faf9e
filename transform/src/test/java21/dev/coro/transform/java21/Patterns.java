package dev.coro.transform.java21;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;

/**
 * Java 21 shapes: pattern switches ({@code invokedynamic typeSwitch}), record patterns, guards,
 * {@code case null}, sealed interfaces. Compiled by the test with Temurin 25's javac.
 */
public final class Patterns {
    private Patterns() {
    }

    /** A closed set of shapes. */
    public sealed interface Shape permits Circle, Square, Rect {
    }

    /** A circle. @param r radius */
    public record Circle(double r) implements Shape {
    }

    /** A square. @param side side */
    public record Square(double side) implements Shape {
    }

    /** A rectangle. @param w width @param h height */
    public record Rect(double w, double h) implements Shape {
    }

    @Async
    public static Coroutine<String> describe(Object o) {
        String prefix = "<";
        String s = switch (await(v(o))) {
            case Integer n when n > await(i(10)) -> "big int " + n;
            case Integer n -> "int " + n + await(v("!"));
            case String str -> "string " + await(v(str.length()));
            case Circle(double r) -> "circle " + (r * await(v(2.0)));
            case Rect(double w, double h) when w == h -> "square-ish " + await(v(w));
            case null -> "null" + await(v("?"));
            default -> "other";
        };
        return done(prefix + s + ">");
    }

    @Async
    public static Coroutine<Double> area(Shape shape) {
        double scale = await(v(1.0));
        return done(scale * switch (shape) {
            case Circle c -> c.r() * c.r() * await(v(3.0));
            case Square q -> q.side() * await(v(q.side()));
            case Rect(var w, var h) -> w * h;
        });
    }

    @Async
    public static Coroutine<String> instanceofPattern(Object o) {
        if (await(v(o)) instanceof Rect(double w, double h) && w > await(v(0.0))) {
            return done("rect " + (w + h));
        }
        return done("not a rect");
    }

    @Async
    public static Coroutine<String> entry() {
        StringBuilder sb = new StringBuilder();
        for (Object o : new Object[] {42, 3, "four", new Circle(1.5), new Rect(2, 2), new Rect(1, 2), null}) {
            sb.append(await(describe(o)));
        }
        sb.append(await(area(new Circle(1)))).append(' ').append(await(area(new Square(3))))
                .append(' ').append(await(area(new Rect(2, 5)))).append(' ');
        sb.append(await(instanceofPattern(new Rect(1, 2)))).append(' ').append(await(instanceofPattern("x")));
        return done(sb.toString());
    }
}
