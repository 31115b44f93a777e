package io.fibflow.topology.internals;

import io.fibflow.avro.ChildFailurePolicy;
import io.fibflow.avro.ChildResult;
import io.fibflow.avro.TaskEvent;
import io.fibflow.avro.TaskEventType;
import io.fibflow.avro.TaskStatus;
import io.fibflow.avro.store.JoinChild;
import io.fibflow.avro.store.JoinHeader;
import io.fibflow.avro.store.ParentJoinRow;
import io.fibflow.topology.FibflowStores;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent/child join of DESIGN §6. Its input, keyed by parent id, carries the parent's
 * SUSPENDED (with child ids, policy and Task snapshot) and its children's terminal events, in
 * any order, and the parent's own event when it leaves the stage otherwise (cancel, resume
 * command). Children that arrive before the SUSPENDED are held and counted when it arrives.
 * When every listed child is terminal, the stage is marked done first, then {@link StageCompletion}
 * re-publishes the parent (or fails it); later duplicates find the done header and are no-ops.
 */
public final class ParentJoinProcessor implements Processor<String, TaskEvent, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ParentJoinProcessor.class);

    private final StageCompletion completion;
    private KeyValueStore<String, ParentJoinRow> store;

    public ParentJoinProcessor(StageCompletion completion) {
        this.completion = completion;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.store = context.getStateStore(FibflowStores.PARENT_JOIN);
        completion.init(context, store);
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        TaskEvent event = record.value();
        if (event == null || record.key() == null) {
            return;
        }
        if (event.getType() == TaskEventType.SUSPENDED && record.key().equals(event.getTaskId())) {
            onSuspended(record.key(), event, record.timestamp());
        } else if (record.key().equals(event.getTaskId())) {
            onParentLeft(record.key(), event);
        } else {
            onChild(record.key(), event, record.timestamp());
        }
    }

    private void onSuspended(String parentId, TaskEvent event, long time) {
        long epoch = event.getEpoch();
        String headerKey = JoinKeys.header(parentId, epoch);
        if (store.get(headerKey) != null) {
            LOG.debug("duplicate SUSPENDED of parent {} epoch {}", parentId, epoch);
            return;
        }
        if (event.getTask() != null) {
            store.put(JoinKeys.snapshot(parentId, epoch), ParentJoinRow.newBuilder().setSnapshot(event.getTask()).build());
        }
        List<String> childIds = event.getChildIds();
        JoinHeader header = JoinHeader.newBuilder()
                .setParentStage(event.getStage())
                .setExpected(0)
                .setPolicy(Transition.policy(event.getChildFailurePolicy()))
                .build();
        for (int i = 0; i < childIds.size(); i++) {
            String childKey = JoinKeys.child(parentId, epoch, childIds.get(i));
            ParentJoinRow held = store.get(childKey);
            if (held != null && held.getChild().getIndex() >= 0) {
                LOG.warn("parent {} lists child {} twice; counting it once", parentId, childIds.get(i));
                continue;
            }
            header.setExpected(header.getExpected() + 1);
            ChildResult outcome = held == null ? null : held.getChild().getOutcome();
            if (outcome != null) {
                count(header, outcome);
                outcome.setIndex(i);
            }
            store.put(childKey, childRow(i, outcome));
        }
        finishOrSave(parentId, epoch, header, time);
    }

    /** The parent left its stage by other means (see TaskStateProcessor): the stage is done, nothing is sent. */
    private void onParentLeft(String parentId, TaskEvent event) {
        String headerKey = JoinKeys.header(parentId, event.getEpoch());
        ParentJoinRow headerRow = store.get(headerKey);
        if (headerRow == null || headerRow.getHeader().getDone()) {
            return;   // completed by the join itself (its RESUMED or PERMANENTLY_FAILED), or never joined
        }
        LOG.info("parent {} epoch {} left its stage by {}; its children's outcomes no longer complete it",
                parentId, event.getEpoch(), event.getType());
        headerRow.getHeader().setDone(true);
        store.put(headerKey, headerRow);
    }

    private void onChild(String parentId, TaskEvent event, long time) {
        Long epoch = event.getParentEpoch();
        if (epoch == null) {
            LOG.warn("terminal event {} of child {} has no parent epoch; parent {} cannot be joined",
                    event.getEventId(), event.getTaskId(), parentId);
            return;
        }
        String headerKey = JoinKeys.header(parentId, epoch);
        ParentJoinRow headerRow = store.get(headerKey);
        if (headerRow != null && headerRow.getHeader().getDone()) {
            LOG.debug("child {} finished after parent {} epoch {} was completed; ignored", event.getTaskId(), parentId, epoch);
            return;
        }
        String childKey = JoinKeys.child(parentId, epoch, event.getTaskId());
        ParentJoinRow row = store.get(childKey);
        if (row != null && row.getChild().getOutcome() != null) {
            LOG.debug("duplicate terminal event of child {} for parent {}", event.getTaskId(), parentId);
            return;
        }
        if (headerRow == null) {
            store.put(childKey, childRow(-1, outcomeOf(event, -1)));   // held until the SUSPENDED arrives
            return;
        }
        if (row == null) {
            LOG.warn("child {} is not among the children of parent {} epoch {}; ignored", event.getTaskId(), parentId, epoch);
            return;
        }
        int index = row.getChild().getIndex();
        ChildResult outcome = outcomeOf(event, index);
        store.put(childKey, childRow(index, outcome));
        JoinHeader header = headerRow.getHeader();
        count(header, outcome);
        finishOrSave(parentId, epoch, header, time);
    }

    private void finishOrSave(String parentId, long epoch, JoinHeader header, long time) {
        boolean complete = header.getArrived() >= header.getExpected();
        // Mark the stage done before anything is sent, so that no later duplicate can complete it twice.
        header.setDone(complete);
        store.put(JoinKeys.header(parentId, epoch), ParentJoinRow.newBuilder().setHeader(header).build());
        if (complete) {
            completion.complete(parentId, epoch, header, time);
        }
    }

    private static void count(JoinHeader header, ChildResult outcome) {
        header.setArrived(header.getArrived() + 1);
        if (outcome.getStatus() != TaskStatus.SUCCEEDED) {
            header.setFailed(header.getFailed() + 1);
        }
    }

    private static ParentJoinRow childRow(int index, ChildResult outcome) {
        return ParentJoinRow.newBuilder().setChild(JoinChild.newBuilder().setIndex(index).setOutcome(outcome).build()).build();
    }

    private static ChildResult outcomeOf(TaskEvent event, int index) {
        TaskStatus status = switch (event.getType()) {
            case SUCCEEDED -> TaskStatus.SUCCEEDED;
            case CANCELLED -> TaskStatus.CANCELLED;
            default -> TaskStatus.PERMANENTLY_FAILED;
        };
        return ChildResult.newBuilder()
                .setChildId(event.getTaskId())
                .setName(event.getName() == null ? "" : event.getName())
                .setStatus(status)
                .setResultPayload(status == TaskStatus.SUCCEEDED ? event.getResultPayload() : null)
                .setError(status == TaskStatus.SUCCEEDED ? null : event.getError())
                .setIndex(index)
                .build();
    }

    static boolean tolerates(JoinHeader header) {
        return header.getFailed() == 0 || header.getPolicy() == ChildFailurePolicy.TOLERATE;
    }
}
