package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;

import dev.coro.Async;
import dev.coro.Coroutine;

/**
 * Generated (issue 13, defect 2): 120 locals and 60 awaits, each await adding two locals, every
 * local used at the end. javac compiles it in about 3 KB; the rewriter once made 70 KB of it and
 * refused it as too large.
 */
public final class Sizes {
    private Sizes() {
    }

    @Async
    public static Coroutine<Long> twoLocalsPerAwait(int start) {
        int a0 = await(i(start + 0));
        long b0 = a0 * 3L;
        int a1 = await(i(start + 1));
        String b1 = "x" + a1;
        int a2 = await(i(start + 2));
        long b2 = a2 * 3L;
        int a3 = await(i(start + 3));
        String b3 = "x" + a3;
        int a4 = await(i(start + 4));
        long b4 = a4 * 3L;
        int a5 = await(i(start + 5));
        String b5 = "x" + a5;
        int a6 = await(i(start + 6));
        long b6 = a6 * 3L;
        int a7 = await(i(start + 7));
        String b7 = "x" + a7;
        int a8 = await(i(start + 8));
        long b8 = a8 * 3L;
        int a9 = await(i(start + 9));
        String b9 = "x" + a9;
        int a10 = await(i(start + 10));
        long b10 = a10 * 3L;
        int a11 = await(i(start + 11));
        String b11 = "x" + a11;
        int a12 = await(i(start + 12));
        long b12 = a12 * 3L;
        int a13 = await(i(start + 13));
        String b13 = "x" + a13;
        int a14 = await(i(start + 14));
        long b14 = a14 * 3L;
        int a15 = await(i(start + 15));
        String b15 = "x" + a15;
        int a16 = await(i(start + 16));
        long b16 = a16 * 3L;
        int a17 = await(i(start + 17));
        String b17 = "x" + a17;
        int a18 = await(i(start + 18));
        long b18 = a18 * 3L;
        int a19 = await(i(start + 19));
        String b19 = "x" + a19;
        int a20 = await(i(start + 20));
        long b20 = a20 * 3L;
        int a21 = await(i(start + 21));
        String b21 = "x" + a21;
        int a22 = await(i(start + 22));
        long b22 = a22 * 3L;
        int a23 = await(i(start + 23));
        String b23 = "x" + a23;
        int a24 = await(i(start + 24));
        long b24 = a24 * 3L;
        int a25 = await(i(start + 25));
        String b25 = "x" + a25;
        int a26 = await(i(start + 26));
        long b26 = a26 * 3L;
        int a27 = await(i(start + 27));
        String b27 = "x" + a27;
        int a28 = await(i(start + 28));
        long b28 = a28 * 3L;
        int a29 = await(i(start + 29));
        String b29 = "x" + a29;
        int a30 = await(i(start + 30));
        long b30 = a30 * 3L;
        int a31 = await(i(start + 31));
        String b31 = "x" + a31;
        int a32 = await(i(start + 32));
        long b32 = a32 * 3L;
        int a33 = await(i(start + 33));
        String b33 = "x" + a33;
        int a34 = await(i(start + 34));
        long b34 = a34 * 3L;
        int a35 = await(i(start + 35));
        String b35 = "x" + a35;
        int a36 = await(i(start + 36));
        long b36 = a36 * 3L;
        int a37 = await(i(start + 37));
        String b37 = "x" + a37;
        int a38 = await(i(start + 38));
        long b38 = a38 * 3L;
        int a39 = await(i(start + 39));
        String b39 = "x" + a39;
        int a40 = await(i(start + 40));
        long b40 = a40 * 3L;
        int a41 = await(i(start + 41));
        String b41 = "x" + a41;
        int a42 = await(i(start + 42));
        long b42 = a42 * 3L;
        int a43 = await(i(start + 43));
        String b43 = "x" + a43;
        int a44 = await(i(start + 44));
        long b44 = a44 * 3L;
        int a45 = await(i(start + 45));
        String b45 = "x" + a45;
        int a46 = await(i(start + 46));
        long b46 = a46 * 3L;
        int a47 = await(i(start + 47));
        String b47 = "x" + a47;
        int a48 = await(i(start + 48));
        long b48 = a48 * 3L;
        int a49 = await(i(start + 49));
        String b49 = "x" + a49;
        int a50 = await(i(start + 50));
        long b50 = a50 * 3L;
        int a51 = await(i(start + 51));
        String b51 = "x" + a51;
        int a52 = await(i(start + 52));
        long b52 = a52 * 3L;
        int a53 = await(i(start + 53));
        String b53 = "x" + a53;
        int a54 = await(i(start + 54));
        long b54 = a54 * 3L;
        int a55 = await(i(start + 55));
        String b55 = "x" + a55;
        int a56 = await(i(start + 56));
        long b56 = a56 * 3L;
        int a57 = await(i(start + 57));
        String b57 = "x" + a57;
        int a58 = await(i(start + 58));
        long b58 = a58 * 3L;
        int a59 = await(i(start + 59));
        String b59 = "x" + a59;
        long sum = 0;
        sum += a0 + b0 + a1 + b1.length() + a2 + b2;
        sum += a3 + b3.length() + a4 + b4 + a5 + b5.length();
        sum += a6 + b6 + a7 + b7.length() + a8 + b8;
        sum += a9 + b9.length() + a10 + b10 + a11 + b11.length();
        sum += a12 + b12 + a13 + b13.length() + a14 + b14;
        sum += a15 + b15.length() + a16 + b16 + a17 + b17.length();
        sum += a18 + b18 + a19 + b19.length() + a20 + b20;
        sum += a21 + b21.length() + a22 + b22 + a23 + b23.length();
        sum += a24 + b24 + a25 + b25.length() + a26 + b26;
        sum += a27 + b27.length() + a28 + b28 + a29 + b29.length();
        sum += a30 + b30 + a31 + b31.length() + a32 + b32;
        sum += a33 + b33.length() + a34 + b34 + a35 + b35.length();
        sum += a36 + b36 + a37 + b37.length() + a38 + b38;
        sum += a39 + b39.length() + a40 + b40 + a41 + b41.length();
        sum += a42 + b42 + a43 + b43.length() + a44 + b44;
        sum += a45 + b45.length() + a46 + b46 + a47 + b47.length();
        sum += a48 + b48 + a49 + b49.length() + a50 + b50;
        sum += a51 + b51.length() + a52 + b52 + a53 + b53.length();
        sum += a54 + b54 + a55 + b55.length() + a56 + b56;
        sum += a57 + b57.length() + a58 + b58 + a59 + b59.length();
        return done(sum);
    }
}
