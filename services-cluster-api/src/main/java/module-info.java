/**
 * What service authors code against: {@code Service}, {@code ServiceContext}, {@code Peer} and
 * their companions. All of it is API. The remote runtime shows a service nothing else (its class
 * loader exposes the JDK and this package only).
 */
module io.servicescluster.api {
    exports io.servicescluster.api;
}
