package io.sessionkit.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Values compared with their types: two reads that give equal values of other classes differ. */
final class TypedValues {

    private TypedValues() {
    }

    /** @return the value with the class of every container and leaf beside it, byte arrays by their contents */
    static Object typed(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<Object> entries = new ArrayList<>();
            entries.add(map.getClass().getName());
            map.forEach((key, item) -> entries.add(List.of(key, typed(item))));
            return entries;
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            items.add(list.getClass().getName());
            list.forEach(item -> items.add(typed(item)));
            return items;
        }
        if (value instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        }
        return value == null ? "null" : List.of(value.getClass().getName(), value);
    }
}
