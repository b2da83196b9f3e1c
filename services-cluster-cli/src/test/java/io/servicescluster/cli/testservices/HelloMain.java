package io.servicescluster.cli.testservices;

/** An application, not a service: a plain main for the checks of {@code code.main}. */
public final class HelloMain {

    private HelloMain() {
    }

    public static void main(String[] args) {
        System.out.println("hello " + String.join(" ", args));
    }
}
