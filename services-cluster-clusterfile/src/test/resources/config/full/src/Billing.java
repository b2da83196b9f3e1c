import io.servicescluster.api.*;

public class Billing implements Service {
    public void start(ServiceContext ctx) { }
}
