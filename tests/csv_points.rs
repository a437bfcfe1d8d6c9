//! The CSV reader (src/csv.rs): what it takes, what it refuses and where it says the trouble
//! is, that what it writes reads back to the same numbers, and, over a bounded number of
//! generated files (valid, mangled and random), that it never panics, refuses with a line and
//! a column, and round-trips every valid table.

use genplay::csv::{fit_into, parse, write, CsvError, Scaling, MAX_BYTES};
use genplay::rng::{seeded, uniform, Rng};

fn error(text: &str) -> CsvError {
    parse(text, 1000).expect_err("the file should be refused")
}

#[test]
fn reads_commas_semicolons_tabs_headers_and_classes() {
    let t = parse("x,y\n1,2\n-3.5,4e1\n", 10).unwrap();
    assert_eq!(t.points, vec![[1.0, 2.0], [-3.5, 40.0]]);
    assert_eq!(t.header, Some(vec!["x".into(), "y".into()]));
    assert_eq!(t.lines, vec![2, 3]);
    assert_eq!(t.classes, None);

    // No header; semicolons with decimal commas; a blank line and CRLF endings.
    let t = parse("1,5;2\r\n\r\n3;-0,25\r\n", 10).unwrap();
    assert_eq!(t.points, vec![[1.5, 2.0], [3.0, -0.25]]);
    assert_eq!((t.header, t.delimiter, t.lines), (None, ';', vec![1, 3]));

    // Tabs, quoted fields, a class column of numbers.
    let t = parse("\"x\"\t\"y\"\tclass\n0\t1\t2\n1\t0\t0\n", 10).unwrap();
    assert_eq!(t.classes, Some(vec![2, 0]));
    assert_eq!(t.class_count(), 3);
    assert!(t.class_names.is_empty());

    // Class names are numbered in the order they first appear.
    let t = parse("\u{feff}1,2,setosa\n3,4,virginica\n5,6,setosa\n", 10).unwrap();
    assert_eq!(t.classes, Some(vec![0, 1, 0]));
    assert_eq!(t.class_names, vec!["setosa", "virginica"]);
}

#[test]
fn refusals_name_the_line_and_the_column() {
    let e = error("x,y\n1,2\n3,4\n5,6\n6,7\n7,8\n8,abc\n");
    assert_eq!(e.at, Some((7, 2)));
    assert_eq!(
        e.to_string(),
        "line 7, column 2: 'abc' is not a number: x and y must be finite numbers such as -1.25 or 3e2"
    );
    let e = error("1,2\n3\n");
    assert_eq!(e.at, Some((2, 2)));
    assert!(e.message.contains("every line must have 2 (x, y)"), "{e}");
    let e = error("1,2,3,4\n");
    assert_eq!(e.at, Some((1, 1)));
    assert!(
        e.message.contains("give 2 (x, y) or 3 (x, y, class)"),
        "{e}"
    );
    let e = error("1,NaN\n");
    assert_eq!(
        (e.at, e.message.contains("'NaN' is not a finite number")),
        (Some((1, 2)), true)
    );
    let e = error("1,2,\n");
    assert_eq!(e.at, Some((1, 3)));
    assert!(error("").message.contains("holds no points"));
    assert!(error("x,y\n\n").message.contains("a header but no points"));
}

#[test]
fn limits_on_rows_and_bytes() {
    let e = parse("1,2\n3,4\n5,6\n", 2).unwrap_err();
    assert_eq!(e.at, Some((3, 1)));
    assert!(e.message.contains("at most 2 points"), "{e}");
    let big = "1,2\n".repeat(MAX_BYTES / 4 + 1);
    let e = parse(&big, usize::MAX).unwrap_err();
    assert_eq!(e.at, None);
    assert!(e.message.contains("which is too large"), "{e}");
}

#[test]
fn scaling_into_a_plane() {
    // Inside already: kept as they are.
    assert_eq!(fit_into(&[[1.0, -1.4]], 1.5), Scaling::NONE);
    // A box from (10, 0) to (30, 4): centred at (20, 2), its half-width 10 spans 0.9 × 1.5.
    let s = fit_into(&[[10.0, 0.0], [30.0, 4.0]], 1.5);
    assert_eq!(s.center, [20.0, 2.0]);
    assert_eq!(s.scale, 0.135);
    assert_eq!(s.apply([30.0, 4.0]), [1.35, 0.27]);
    assert_eq!(
        s.describe(),
        "scaled into the plane: x′ = (x − 20) × 0.135, y′ = (y − 2) × 0.135"
    );
    // One far point is moved to the middle.
    let s = fit_into(&[[7.0, -9.0]], 1.5);
    assert_eq!(s.apply([7.0, -9.0]), [0.0, 0.0]);
}

/// A random finite number of a random magnitude (and sometimes a whole one).
fn number(rng: &mut Rng) -> f64 {
    let x = (uniform(rng) - 0.5) * 10f64.powi((uniform(rng) * 12.0) as i32 - 6);
    if uniform(rng) < 0.2 {
        x.round()
    } else {
        x
    }
}

#[test]
fn generated_files_round_trip_and_never_panic() {
    let mut rng = seeded(12);
    for case in 0..400 {
        let n = 1 + (uniform(&mut rng) * 30.0) as usize;
        let points: Vec<[f64; 2]> = (0..n)
            .map(|_| [number(&mut rng), number(&mut rng)])
            .collect();
        let classes: Option<Vec<u32>> =
            (case % 2 == 0).then(|| (0..n).map(|_| (uniform(&mut rng) * 4.0) as u32).collect());
        let text = write(&points, classes.as_deref());
        let table = parse(&text, 1000).unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
        assert_eq!(table.points, points, "case {case}");
        assert_eq!(table.classes, classes, "case {case}");

        // Mangled: one character of the file replaced by another. Either it still reads, or
        // the refusal names a line and column inside the file (or the whole file).
        let mut bytes: Vec<char> = text.chars().collect();
        let at = (uniform(&mut rng) * bytes.len() as f64) as usize;
        let pool = ['a', ',', ';', '\t', '\n', '"', '-', '.', 'e', '9', ' ', 'é'];
        bytes[at] = pool[(uniform(&mut rng) * pool.len() as f64) as usize];
        let mangled: String = bytes.into_iter().collect();
        check_refusal(&mangled);

        // Random characters from the same pool.
        let len = (uniform(&mut rng) * 60.0) as usize;
        let random: String = (0..len)
            .map(|_| pool[(uniform(&mut rng) * pool.len() as f64) as usize])
            .collect();
        check_refusal(&random);
    }
}

fn check_refusal(text: &str) {
    if let Err(e) = parse(text, 1000) {
        assert!(!e.message.is_empty());
        if let Some((line, column)) = e.at {
            let lines = text.split('\n').count();
            assert!(line >= 1 && line <= lines, "{e} in {text:?}");
            assert!((1..=4).contains(&column), "{e} in {text:?}");
        }
    }
}
