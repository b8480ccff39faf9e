package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedList;
import java.util.List;

/** Local variable slots reused with other types, and locals merged to a common supertype. */
public final class Scopes {
    private Scopes() {
    }

    @Async
    public static Coroutine<String> sameNameDisjointScopes(boolean flag) {
        String out = "";
        {
            int x = await(i(1));
            out += x;
        }
        {
            String x = await(v("s"));
            out += x;
        }
        {
            double x = await(v(2.5));
            out += x;
        }
        if (flag) {
            long x = 7;
            out += x + await(i(1));
        } else {
            Object x = await(v("o"));
            out += x;
        }
        return done(out);
    }

    @Async
    public static Coroutine<String> commonSupertype(boolean linked) {
        AbstractList<String> list;
        if (linked) {
            list = new LinkedList<>();
        } else {
            list = new ArrayList<>();
        }
        list.add(await(v("a")));
        Collection<String> c = linked ? new ArrayList<>(list) : list;
        c.add(await(v("b")));
        List<String> view = list.subList(0, list.size());
        return done(list + "" + c + view.size() + list.getClass().getSimpleName());
    }

    /** A tiny hierarchy for merges of application classes. */
    public static class Animal {
        String sound() {
            return "...";
        }
    }

    /** A dog. */
    public static class Dog extends Animal {
        @Override
        String sound() {
            return "woof";
        }
    }

    /** A cat. */
    public static final class Cat extends Animal {
        @Override
        String sound() {
            return "meow";
        }
    }

    /** A puppy. */
    public static final class Puppy extends Dog {
        @Override
        String sound() {
            return "yip";
        }
    }

    @Async
    public static Coroutine<String> applicationHierarchy(int k) {
        Animal a = k == 0 ? new Cat() : k == 1 ? new Dog() : new Puppy();
        Dog d = k == 2 ? new Puppy() : new Dog();
        String first = await(v(a.sound()));
        // a is only known as Animal here, d as Dog
        return done(first + " " + a.sound() + " " + d.sound() + await(v("!")));
    }

    @Async
    public static Coroutine<String> inaccessibleCommonSuperclass(boolean builder) {
        // StringBuilder and StringBuffer merge to the package-private AbstractStringBuilder
        CharSequence text = builder ? new StringBuilder("b") : new StringBuffer("f");
        CharSequence[] texts = {text};
        String got = await(v("!"));
        return done(text.toString() + "<" + got + ">" + texts[0].length());
    }

    @Async
    public static Coroutine<String> inaccessibleApplicationClass(boolean which) {
        // the value's type is a package-private class of another package (reachable through var)
        var secret = dev.coro.transform.corpus.other.Hidden.secret();
        Object either = which ? secret : dev.coro.transform.corpus.other.Hidden.other();
        String got = await(v("!"));
        return done(secret + got + either);
    }
}
