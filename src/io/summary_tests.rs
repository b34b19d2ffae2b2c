use super::*;

#[test]
fn numbers_are_short() {
    assert_eq!(number(-3.2268000000000003), "-3.2268");
    assert_eq!(number(-9999.0), "-9999");
    assert_eq!(number(0.123456789), "0.123457");
    assert_eq!(number(9.969_209_968_386_869e36), "9.9692e36");
    assert_eq!(number(45.0), "45");
    assert_eq!(number(-179.5), "-179.5");
}
