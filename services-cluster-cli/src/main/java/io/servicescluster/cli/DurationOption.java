package io.servicescluster.cli;

import io.servicescluster.protocol.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * A {@code DURATION} option, read as the cluster file reads durations ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 2h}). A bad one is a usage error that names the option, found before any
 * cluster is asked; read in the command instead, it came out as {@code svc: invalid duration …},
 * after the cluster had been found, and naming neither command nor option.
 */
final class DurationOption implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
