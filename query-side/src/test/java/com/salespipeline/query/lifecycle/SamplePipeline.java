package com.salespipeline.query.lifecycle;

import com.salespipeline.events.LeadSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Four contacts whose reports are worked out by hand in the report tests.
 * <pre>
 * A  WEB_FORM "spring" sam   0h LEAD, 1h MQL, 3h PROSPECT, 6h OPPORTUNITY, 10h CUSTOMER (won), 20h ADVOCATE
 * B  REFERRAL  -       kim   2h LEAD, 4h PROSPECT (MQL skipped), 5h OPPORTUNITY, 9h LOST
 * C  WEB_FORM "spring" -     Feb 1st: +0h LEAD, +1h MQL, +2h DISQUALIFIED, +5h LEAD (recycled)
 * D  AD        -       -     5h LEAD, owner sam from 7h
 * </pre>
 * Hours count from {@link #T0}, 2024-01-01T00:00Z. Events are delivered interleaved, newest contacts first.
 */
public final class SamplePipeline {

    public static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    public static final Instant FEB = Instant.parse("2024-02-01T00:00:00Z");
    public static final Instant LATER = Instant.parse("2024-06-01T00:00:00Z");

    public final ContactHistory a = ContactHistory.capture(h(0), LeadSource.WEB_FORM, "spring", "sam")
            .mql(h(1)).engage(h(2)).qualify(h(3)).convert(h(6)).win(h(10)).advocate(h(20));
    public final ContactHistory b = ContactHistory.capture(h(2), LeadSource.REFERRAL, null, "kim")
            .engage(h(3)).qualify(h(4)).convert(h(5)).lose(h(9));
    public final ContactHistory c = ContactHistory.capture(FEB, LeadSource.WEB_FORM, "spring", null)
            .mql(FEB.plus(Duration.ofHours(1))).disqualify(FEB.plus(Duration.ofHours(2)))
            .recycle(FEB.plus(Duration.ofHours(5)));
    public final ContactHistory d = ContactHistory.capture(h(5), LeadSource.AD, null, null).assign("sam", h(7));

    public static Instant h(long hours) {
        return T0.plus(Duration.ofHours(hours));
    }

    public void feed(ReadModelDatabase db) {
        List<ContactHistory> contacts = new ArrayList<>(List.of(d, c, b, a));
        db.applyAll(LifecycleProjectionTest.interleave(contacts, new Random(7)));
    }
}
