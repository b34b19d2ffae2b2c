use super::*;
use std::sync::Mutex;

/// Records every call as text; other tests of this binary may report too, so the checks below
/// keep only the lines of their own task and note.
#[derive(Default)]
struct Recorder {
    lines: Mutex<Vec<String>>,
}

impl Recorder {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

impl Reporter for Recorder {
    fn start(&self, task: TaskId, label: &str, total: Option<u64>) {
        self.push(format!("{task} start {label} {total:?}"));
    }
    fn advance(&self, task: TaskId, steps: u64) {
        self.push(format!("{task} advance {steps}"));
    }
    fn restart(&self, task: TaskId, total: u64) {
        self.push(format!("{task} restart {total}"));
    }
    fn status(&self, task: TaskId, text: &str) {
        self.push(format!("{task} status {text}"));
    }
    fn finish(&self, task: TaskId) {
        self.push(format!("{task} finish"));
    }
    fn note(&self, message: &str) {
        self.push(format!("note {message}"));
    }
}

#[test]
fn tasks_and_notes_reach_the_registered_reporter_and_nothing_when_disabled() {
    let recorder = Arc::new(Recorder::default());
    set_reporter(recorder.clone());
    assert!(bar(false, "progress test: hidden", 3).is_none());
    let task = bar(true, "progress test: shown", 3);
    let id = task.as_ref().map(|t| t.id).unwrap();
    inc(&task, 2);
    if let Some(t) = &task {
        t.status("loss 1.0");
        t.restart(5);
    }
    done(task);
    note("progress test: a note");
    clear_reporter();
    note("progress test: after clearing");
    let lines = recorder.lines.lock().unwrap().clone();
    let mine: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with(&format!("{id} ")) || l.starts_with("note progress test"))
        .collect();
    assert_eq!(
        mine,
        [
            &format!("{id} start progress test: shown Some(3)"),
            &format!("{id} advance 2"),
            &format!("{id} status loss 1.0"),
            &format!("{id} restart 5"),
            &format!("{id} finish"),
            &"note progress test: a note".to_string(),
        ]
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("hidden") || l.contains("after clearing"))
    );
}
