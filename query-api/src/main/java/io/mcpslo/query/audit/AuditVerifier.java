package io.mcpslo.query.audit;

import io.mcpslo.storage.audit.AuditStore;
import io.mcpslo.storage.audit.StoredLink;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recomputes the audit chain over a range and reports every break: a row whose content no longer matches its
 * hash (modified), a missing position (deleted), a second row at one position (inserted), a link that does not
 * point at its predecessor (a forged or replaced row), a digest whose HMAC is wrong or whose signed row is gone
 * or different (the chain was rewritten from some point on).
 */
public final class AuditVerifier {

    static final int MAX_LISTED = 100;

    private final byte[] digestKey;

    public AuditVerifier(byte[] digestKey) {
        this.digestKey = digestKey.clone();
    }

    /** One break of the chain. */
    public record Problem(int partition, long seq, String eventId, String kind, String detail) {
    }

    /** What a verification found; {@code firstBroken} is null when the range is intact. */
    public record Report(Instant from, Instant to, long rowsChecked, int chains, int digestsChecked, long problemCount,
                         Problem firstBroken, List<Problem> problems) {
        public boolean intact() {
            return problemCount == 0;
        }
    }

    public Report verify(AuditStore store, Instant from, Instant to) {
        List<Problem> problems = new ArrayList<>();
        long[] problemCount = {0};
        Map<String, AuditDigest> digestsByPosition = new HashMap<>();
        List<AuditDigest> digests = store.digests(from, to);
        for (AuditDigest digest : digests) {
            if (!AuditChain.digest(digestKey, digest.partition(), digest.seq(), digest.hash()).equals(digest.hmac())) {
                add(problems, problemCount, new Problem(digest.partition(), digest.seq(), "", "forged-digest",
                        "the digest's HMAC does not verify with the audit digest key"));
            } else {
                digestsByPosition.put(digest.partition() + ":" + digest.seq(), digest);
            }
        }
        Map<Integer, StoredLink> last = new HashMap<>();
        Map<String, Boolean> digestSeen = new HashMap<>();
        long[] rows = {0};
        store.links(from, to, link -> {
            rows[0]++;
            String recomputed = AuditChain.hash(link.prevHash(), link.textFields(), link.tsMs(), link.partition(),
                    link.seq());
            if (!recomputed.equals(link.hash())) {
                add(problems, problemCount, new Problem(link.partition(), link.seq(), link.eventId(), "modified",
                        "the row's content no longer matches its hash"));
            }
            StoredLink previous = last.get(link.partition());
            if (previous == null && link.seq() > 1) {
                previous = store.link(link.partition(), link.seq() - 1).orElse(null);
            }
            if (previous == null) {
                if (link.seq() == 1 && !link.prevHash().equals(AuditChain.GENESIS)) {
                    add(problems, problemCount, new Problem(link.partition(), link.seq(), link.eventId(), "modified",
                            "the first link of the chain must point at the genesis hash"));
                }
            } else if (link.seq() == previous.seq()) {
                add(problems, problemCount, new Problem(link.partition(), link.seq(), link.eventId(), "inserted",
                        "a second row claims position " + link.seq() + " (events " + previous.eventId() + " and "
                                + link.eventId() + ")"));
            } else if (link.seq() > previous.seq() + 1) {
                add(problems, problemCount, new Problem(link.partition(), previous.seq() + 1, "", "deleted",
                        "positions " + (previous.seq() + 1) + " to " + (link.seq() - 1) + " are missing"));
            } else if (!link.prevHash().equals(previous.hash())) {
                add(problems, problemCount, new Problem(link.partition(), link.seq(), link.eventId(), "broken-link",
                        "prev_hash does not match the hash of position " + previous.seq()
                                + ": a row was forged or replaced"));
            }
            String position = link.partition() + ":" + link.seq();
            AuditDigest digest = digestsByPosition.get(position);
            if (digest != null) {
                digestSeen.put(position, true);
                if (!digest.hash().equals(link.hash())) {
                    add(problems, problemCount, new Problem(link.partition(), link.seq(), link.eventId(), "rewritten",
                            "the row differs from the one signed at " + digest.at()
                                    + ": the chain was rewritten from here or before"));
                }
            }
            last.put(link.partition(), link);
        });
        for (AuditDigest digest : digestsByPosition.values()) {
            String position = digest.partition() + ":" + digest.seq();
            if (!digestSeen.containsKey(position)) {
                Optional<StoredLink> signed = store.link(digest.partition(), digest.seq());
                if (signed.isEmpty()) {
                    add(problems, problemCount, new Problem(digest.partition(), digest.seq(), "", "deleted",
                            "the row signed at " + digest.at() + " is gone"));
                } else if (!signed.get().hash().equals(digest.hash())) {
                    add(problems, problemCount, new Problem(digest.partition(), digest.seq(), signed.get().eventId(),
                            "rewritten", "the row differs from the one signed at " + digest.at()));
                }
            }
        }
        problems.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.seq(), b.seq()));
        return new Report(from, to, rows[0], last.size(), digests.size(), problemCount[0],
                problems.isEmpty() ? null : problems.get(0), List.copyOf(problems));
    }

    private static void add(List<Problem> problems, long[] count, Problem problem) {
        count[0]++;
        if (problems.size() < MAX_LISTED) {
            problems.add(problem);
        }
    }
}
