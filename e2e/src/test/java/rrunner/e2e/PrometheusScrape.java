package rrunner.e2e;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one or more {@code /actuator/prometheus} answers hold: the names of their samples as a query names them
 * ({@code rrunner_run_seconds_bucket}, {@code rrunner_jobs_finished_total}), and their metric families as the
 * README lists them (a counter with {@code _total}; a timer without the {@code _max} gauge Micrometer adds to it).
 */
record PrometheusScrape(Set<String> samples, Set<String> families) {

    private static final String TYPE = "# TYPE ";

    static PrometheusScrape parse(String text) {
        Set<String> samples = text.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        Set<String> families = new HashSet<>();
        text.lines().filter(line -> line.startsWith(TYPE)).forEach(line -> {
            String[] nameAndType = line.substring(TYPE.length()).split(" ");
            boolean counter = nameAndType[1].equals("counter") && !nameAndType[0].endsWith("_total");
            families.add(counter ? nameAndType[0] + "_total" : nameAndType[0]);
        });
        families.removeIf(name -> name.endsWith("_max") && families.contains(name.substring(0, name.length() - 4)));
        return new PrometheusScrape(samples, families);
    }

    PrometheusScrape plus(PrometheusScrape other) {
        Set<String> allSamples = new HashSet<>(samples);
        allSamples.addAll(other.samples);
        Set<String> allFamilies = new HashSet<>(families);
        allFamilies.addAll(other.families);
        return new PrometheusScrape(allSamples, allFamilies);
    }

    Set<String> familiesStartingWith(String prefix) {
        return families.stream().filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
    }
}
