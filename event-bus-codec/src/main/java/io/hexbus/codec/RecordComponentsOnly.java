package io.hexbus.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.introspect.VisibilityChecker;

/**
 * Makes a record's JSON its components and nothing else. By default Jackson also writes every
 * {@code getX()} and {@code isX()} helper of a record ({@code Money.isPositive()} would become
 * {@code "positive": true} on the wire); for records this detects the component fields alone. Other classes
 * keep Jackson's defaults, and an explicit {@code @JsonProperty} still counts.
 */
final class RecordComponentsOnly extends JacksonAnnotationIntrospector {

    @Override
    public VisibilityChecker<?> findAutoDetectVisibility(AnnotatedClass type, VisibilityChecker<?> checker) {
        VisibilityChecker<?> visibility = super.findAutoDetectVisibility(type, checker);
        if (!type.getRawType().isRecord()) {
            return visibility;
        }
        // A record's only instance fields are its components (private final): they are the state to write.
        return visibility.withGetterVisibility(Visibility.NONE)
                .withIsGetterVisibility(Visibility.NONE)
                .withFieldVisibility(Visibility.ANY);
    }
}
