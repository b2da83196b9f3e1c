/**
 * Optional: values as JSON bodies of requests and events. {@code Json} is the API; its signatures
 * name the service API's types (hence {@code transitive}) and no Jackson type. The records a
 * service sends must be readable by Jackson: in a named module, open their package to
 * {@code com.fasterxml.jackson.databind}.
 */
module io.servicescluster.json {
    requires transitive io.servicescluster.api;
    requires com.fasterxml.jackson.databind;
    exports io.servicescluster.json;
}
