package io.servicescluster.remote.apps;

/** An application whose class cannot be initialised: its main never runs. */
public final class BrokenInitApp {

    static final int VALUE = Integer.parseInt("not a number");

    private BrokenInitApp() {
    }

    public static void main(String[] args) {
        System.out.println(VALUE);
    }
}
