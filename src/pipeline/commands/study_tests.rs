use super::*;
use crate::pipeline::config::DeepSettings;

#[test]
fn quick_training_changes_only_the_deep_iterations_and_epochs() {
    let defaults = DeepSettings::default();
    let quick = DemoTraining::Quick.deep(&defaults);
    assert_eq!(quick.maxiter, QUICK_DEEP_MAXITER);
    assert_eq!(quick.pretrain_epochs, QUICK_PRETRAIN_EPOCHS);
    assert!(quick.maxiter < defaults.maxiter && quick.pretrain_epochs < defaults.pretrain_epochs);
    let back = DeepSettings {
        maxiter: defaults.maxiter,
        pretrain_epochs: defaults.pretrain_epochs,
        ..quick
    };
    assert_eq!(back, defaults, "nothing but the iterations and epochs may differ");
    assert_eq!(DemoTraining::Full.deep(&defaults), defaults);
    assert_eq!(DemoTraining::Quick.mnist_epochs(), QUICK_MNIST_EPOCHS);
    assert_eq!(
        DemoTraining::Full.mnist_epochs(),
        crate::pipeline::commands::mnist::DEFAULT_EPOCHS
    );
}

#[test]
fn the_report_says_which_training_made_it_and_how_to_get_the_other() {
    let defaults = DeepSettings::default();
    let quick = DemoTraining::Quick.describe(&defaults);
    assert!(quick.contains("--full"), "{quick}");
    let quick_iterations = format!("up to {QUICK_DEEP_MAXITER} joint iterations");
    assert!(quick.contains(&quick_iterations), "{quick}");
    assert!(quick.contains(&defaults.maxiter.to_string()), "{quick}");
    let full = DemoTraining::Full.describe(&defaults);
    let full_iterations = format!("up to {} joint iterations", defaults.maxiter);
    assert!(
        full.contains(&full_iterations) && !full.contains(&quick_iterations),
        "{full}"
    );
}
