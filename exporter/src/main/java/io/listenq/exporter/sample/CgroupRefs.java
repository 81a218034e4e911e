package io.listenq.exporter.sample;

import io.listenq.collectors.cgroup.ListenerOwner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The cgroup ids the TCP listeners carry, kept from round to round so that {@link Owners} costs what changed, not
 * what there is: per namespace the ids its listeners carried last round, and per id how many listeners carry it
 * and its owner once resolved. A namespace whose listeners are the same list object as last round (the sampler
 * hands an unchanged namespace back as the same {@link NamespaceSample}) costs one lookup; only a changed one has
 * its listeners read. An id stays resolved as long as some listener carries it; one that did not resolve stays
 * pending, to be asked again, until its last listener goes. Sampler thread only.
 */
final class CgroupRefs {
    private static final long[] NONE = {};

    /** One id: how many listeners (over every namespace) carry it, and its owner (null until resolved). */
    private static final class Ref {
        int listeners;
        ListenerOwner owner;
    }

    /** One namespace: its listeners as last seen, the ids they carried (listener order), the round it was seen. */
    private static final class Held {
        List<ListenerSample> listeners;
        long[] ids = NONE;
        long round;
    }

    private final Map<String, Held> namespaces = new HashMap<>();
    private final Map<Long, Ref> refs = new HashMap<>();
    /** Ids carried but not resolved: new ones, and those that resolved to nothing (retried while carried). */
    private final Set<Long> pending = new HashSet<>();
    /**
     * Ids a changed namespace carried before, released only once the whole round has been added: an id moving
     * from one namespace to another in a round keeps its owner (a walk to find it again may be seconds away).
     */
    private final List<long[]> released = new ArrayList<>();
    /** The ids of the namespace being read; reused, so that a namespace whose ids did not change allocates none. */
    private long[] scratch = new long[16];

    /** The namespaces last taken in. */
    private List<NamespaceSample> last = List.of();

    private long round;
    /** The owners differ from the map {@link #owners} made last. */
    private boolean ownersChanged;

    private int listenersRead;

    /**
     * Takes in a round's namespaces (each at most once): new and changed ones add the ids their listeners carry,
     * changed and vanished ones release those they carried.
     *
     * @return whether any namespace appeared, changed or went since the last call
     */
    boolean update(List<NamespaceSample> namespaces) {
        listenersRead = 0;
        if (namespaces == last) {
            return false; // an idle round hands on last round's list itself (Sampler.limitAndTrack)
        }
        last = namespaces;
        round++;
        boolean changed = false;
        int seen = 0;
        for (int n = 0; n < namespaces.size(); n++) { // indexed: an iterator would be an allocation under C1
            NamespaceSample ns = namespaces.get(n);
            Held held = this.namespaces.get(ns.netns());
            if (held == null) {
                held = new Held();
                this.namespaces.put(ns.netns(), held);
            }
            if (held.round != round) {
                held.round = round;
                seen++;
            }
            if (held.listeners == ns.listeners()) {
                continue; // unchanged: the same listeners, so the same ids
            }
            changed = true;
            held.listeners = ns.listeners();
            int count = read(ns.listeners());
            if (!Arrays.equals(scratch, 0, count, held.ids, 0, held.ids.length)) {
                long[] ids = Arrays.copyOf(scratch, count);
                add(ids);
                released.add(held.ids);
                held.ids = ids;
            }
        }
        if (seen < this.namespaces.size()) {
            changed = true;
            for (Iterator<Held> it = this.namespaces.values().iterator(); it.hasNext(); ) {
                Held held = it.next();
                if (held.round != round) {
                    released.add(held.ids);
                    it.remove();
                }
            }
        }
        for (long[] ids : released) {
            release(ids);
        }
        released.clear();
        return changed;
    }

    /** Whether some carried id has no owner yet. */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The carried ids without an owner yet, to resolve. */
    Set<Long> pending() {
        return Set.copyOf(pending);
    }

    /**
     * Takes the paths found for pending ids ("" where none). An owner {@code last} holds for the same path is kept
     * as that object.
     */
    void resolved(Map<Long, String> paths, Map<Long, ListenerOwner> last) {
        for (Map.Entry<Long, String> e : paths.entrySet()) {
            Ref ref = refs.get(e.getKey());
            if (e.getValue().isEmpty() || ref == null || ref.owner != null) {
                continue; // the cgroup is gone (an empty owner, not an error; asked again), or not asked for
            }
            ListenerOwner before = last.get(e.getKey());
            ref.owner = before != null && before.cgroup().equals(e.getValue())
                    ? before
                    : ListenerOwner.ofPath(e.getValue());
            pending.remove(e.getKey());
            ownersChanged = true;
        }
    }

    /** The owner of every carried id that resolved: {@code last} itself when that is still what there is. */
    Map<Long, ListenerOwner> owners(Map<Long, ListenerOwner> last) {
        if (!ownersChanged) {
            return last;
        }
        ownersChanged = false;
        Map<Long, ListenerOwner> out = new HashMap<>(refs.size() * 2);
        for (Map.Entry<Long, Ref> e : refs.entrySet()) {
            if (e.getValue().owner != null) {
                out.put(e.getKey(), e.getValue().owner);
            }
        }
        return out.equals(last) ? last : Map.copyOf(out);
    }

    /** Whether the owners changed since {@link #owners} last made a map (a round whose resolve failed made none). */
    boolean ownersChanged() {
        return ownersChanged;
    }

    /** Listeners whose ids the last {@link #update} read (tests: an unchanged namespace costs none). */
    int listenersRead() {
        return listenersRead;
    }

    /** Copies the listeners' cgroup ids into {@link #scratch}; returns how many there are. */
    private int read(List<ListenerSample> listeners) {
        int count = 0;
        for (int i = 0; i < listeners.size(); i++) {
            OptionalLong id = listeners.get(i).cgroupId();
            if (id.isPresent()) {
                if (count == scratch.length) {
                    scratch = Arrays.copyOf(scratch, count * 2);
                }
                scratch[count++] = id.getAsLong();
            }
        }
        listenersRead += listeners.size();
        return count;
    }

    private void add(long[] ids) {
        for (long id : ids) {
            Ref ref = refs.get(id);
            if (ref == null) {
                ref = new Ref();
                refs.put(id, ref);
                pending.add(id);
            }
            ref.listeners++;
        }
    }

    private void release(long[] ids) {
        for (long id : ids) {
            Ref ref = refs.get(id);
            if (--ref.listeners == 0) {
                refs.remove(id);
                if (ref.owner != null) {
                    ownersChanged = true;
                } else {
                    pending.remove(id);
                }
            }
        }
    }
}
