package io.servicescluster.verify;

/** SPEC §5: {@code seq} is strictly increasing from 1, without gaps. */
final class SeqCheck implements Check {

    private long last;

    @Override
    public void before(LogEvent event, Replay replay, Findings findings) {
        long expected = last + 1;
        long seq = event.seq();
        if (seq < expected) {
            findings.add(Rule.SEQ, event.where() + " " + event.service() + " " + event.event() + " comes after seq " + last
                    + (seq == last ? " (a repeated seq)" : " (out of order)"), seq, last);
        } else if (seq > expected) {
            findings.add(Rule.SEQ, event.where() + " " + event.service() + " " + event.event()
                    + (last == 0 ? " comes first" : " comes after seq " + last)
                    + (seq == expected + 1 ? " (seq " + expected + " is missing)"
                            : " (seq " + expected + " to " + (seq - 1) + " are missing)"), seq, last);
        }
        // go on from the highest seq seen, so that two swapped lines are two findings, not three
        last = Math.max(last, seq);
    }
}
