package io.hexbus.codec;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares a published event with what its envelope reads back as, and names the first component that
 * differs. {@code equals} decides for most values; where it says no, records are compared component by
 * component, lists and arrays element by element, because a record's array component compares by identity
 * in {@code equals} and would make every such event differ from its own copy.
 */
final class SameComponents {

    private SameComponents() {
    }

    /**
     * @return empty if the two are equal, or the path of the first component that differs ({@code total.amount},
     *         {@code lines[2]})
     */
    static Optional<String> firstDifference(Object published, Object decoded) {
        return difference(published, decoded, "");
    }

    private static Optional<String> difference(Object a, Object b, String path) {
        if (a == b || Objects.equals(a, b)) {
            return Optional.empty();
        }
        if (a == null || b == null || (a.getClass() != b.getClass()
                && !(a instanceof List<?> && b instanceof List<?>))) {
            return Optional.of(path.isEmpty() ? "the event" : path);
        }
        if (a.getClass().isArray()) {
            int length = Array.getLength(a);
            if (length != Array.getLength(b)) {
                return Optional.of(path);
            }
            for (int i = 0; i < length; i++) {
                Optional<String> inner = difference(Array.get(a, i), Array.get(b, i), path + "[" + i + "]");
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        if (a.getClass().isRecord()) {
            for (RecordComponent component : a.getClass().getRecordComponents()) {
                String inner = path.isEmpty() ? component.getName() : path + "." + component.getName();
                Optional<String> found = difference(read(component, a), read(component, b), inner);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty(); // every component is the same: equals differed only on an array's identity
        }
        if (a instanceof List<?> left && b instanceof List<?> right) {
            if (left.size() != right.size()) {
                return Optional.of(path);
            }
            for (int i = 0; i < left.size(); i++) {
                Optional<String> inner = difference(left.get(i), right.get(i), path + "[" + i + "]");
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        return Optional.of(path.isEmpty() ? "the event" : path);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            var accessor = component.getAccessor();
            accessor.trySetAccessible();
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read component " + component.getName() + " of "
                    + record.getClass().getName(), e);
        }
    }
}
