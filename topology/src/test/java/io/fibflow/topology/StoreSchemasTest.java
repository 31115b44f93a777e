package io.fibflow.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fibflow.avro.store.ParentJoinRow;
import io.fibflow.avro.store.TaskStateRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The store records evolve like the wire records: every field documented and defaulted. */
class StoreSchemasTest {

    @Test
    void shouldDocumentAndDefaultEveryFieldWhenSchemaIsAStoreRecord() {
        List<String> problems = new ArrayList<>();
        for (Schema s : List.of(TaskStateRecord.getClassSchema(), ParentJoinRow.getClassSchema(),
                ParentJoinRow.getClassSchema().getField("header").schema().getTypes().get(1),
                ParentJoinRow.getClassSchema().getField("child").schema().getTypes().get(1))) {
            if (s.getDoc() == null || s.getDoc().isBlank()) {
                problems.add(s.getFullName() + ": no doc");
            }
            for (Schema.Field field : s.getFields()) {
                if (field.doc() == null || field.doc().isBlank()) {
                    problems.add(s.getFullName() + "." + field.name() + ": no doc");
                }
                if (!field.hasDefaultValue()) {
                    problems.add(s.getFullName() + "." + field.name() + ": no default");
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.toString());
    }
}
