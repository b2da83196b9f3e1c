package io.servicescluster.examples.shop;

/** Formats cents as euros. */
final class Money {

    private Money() {
    }

    static String format(long cents) {
        return String.format("%d.%02d EUR", cents / 100, cents % 100);
    }
}
