package io.servicescluster.clusterfile;

/**
 * A value in a cluster file with where it is: its dotted key ({@code services.orders.restart}) and
 * the line of that key (of the item, for list items).
 */
record Field(String key, int line, YamlNode value) {

    /** The value of one entry of this field's map. */
    Field child(YamlNode.Entry entry) {
        return new Field(childKey(entry.key()), entry.line(), entry.value());
    }

    /** The dotted key of a child of this field. */
    String childKey(String name) {
        return key.isEmpty() ? name : key + "." + name;
    }

    /** Item {@code index} of this field's list. */
    Field item(int index, YamlNode item) {
        return new Field(key + "[" + index + "]", item.line(), item);
    }
}
