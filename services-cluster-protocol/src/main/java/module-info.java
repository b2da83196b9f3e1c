/**
 * The wire between the manager and the remote runtime, and between remotes: connection ports and
 * endpoints, the control and data messages and their codecs, capabilities, durations. JDK only.
 * Exported for those two sides (the manager's modules and the remote runtime), not for services:
 * the implementations of ports and the wire readers stay package-private.
 */
module io.servicescluster.protocol {
    exports io.servicescluster.protocol;
}
