/**
 * The floor of a cold start: a JVM that prints one line and exits. With the argument {@code wait}
 * it stays until its standard input closes (the crash-detection baseline kills it).
 */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("hello");
        if (args.length > 0 && args[0].equals("wait")) {
            System.in.read();
        }
    }
}
