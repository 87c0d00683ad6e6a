//! Rows of figures, the verdict of each row, and how they are shown: one
//! table on stdout and the same figures as JSON.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Which way is better for a row's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// More is better (throughput).
    Higher,
    /// Less is better (latency, CPU time).
    Lower,
}

/// One subject's figures in a row: one value per repetition, or why there
/// are none.
#[derive(Debug, Clone)]
pub enum Cell {
    /// One value per repetition, in repetition order, so that repetition `i`
    /// of two subjects ran back to back and can be compared pairwise.
    Runs(Vec<f64>),
    /// Not measured, with the reason shown in the table.
    Skipped(String),
}

impl Cell {
    /// Turns per-repetition outcomes into a cell; any failed repetition makes
    /// the whole cell a skip, because a partial set would bias the median.
    pub fn from_outcomes(outcomes: Vec<Result<f64, String>>) -> Cell {
        let mut runs = Vec::with_capacity(outcomes.len());
        for outcome in outcomes {
            match outcome {
                Ok(value) => runs.push(value),
                Err(reason) => return Cell::Skipped(reason),
            }
        }
        Cell::Runs(runs)
    }

    fn runs(&self) -> Option<&[f64]> {
        match self {
            Cell::Runs(runs) if !runs.is_empty() => Some(runs),
            _ => None,
        }
    }

    /// The median over repetitions.
    pub fn median(&self) -> Option<f64> {
        self.runs().map(median)
    }

    fn min(&self) -> Option<f64> {
        self.runs()
            .map(|r| r.iter().copied().fold(f64::INFINITY, f64::min))
    }

    fn max(&self) -> Option<f64> {
        self.runs()
            .map(|r| r.iter().copied().fold(f64::NEG_INFINITY, f64::max))
    }
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[mid],
        _ => (sorted[mid - 1] + sorted[mid]) / 2.0,
    }
}

/// The `q` quantile (0..=1) of already sorted values, nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// One condition of a row's goal.
#[derive(Debug, Clone, Copy)]
pub enum Clause {
    /// oneloop's ratio against `peer` (>1 means oneloop is better) is at least this.
    RatioAtLeast(&'static str, f64),
    /// oneloop's median is below this, in the row's unit.
    Below(f64),
    /// oneloop's median is at least this, in the row's unit.
    #[cfg_attr(
        not(target_os = "linux"),
        allow(dead_code, reason = "only Linux rows use it")
    )]
    AtLeast(f64),
}

/// What a row should show, in words and as checkable clauses.
#[derive(Debug, Clone)]
pub struct Goal {
    /// As printed, e.g. "≥ 10× calloop, winit".
    pub text: String,
    /// All must hold for the goal to be met.
    pub clauses: Vec<Clause>,
}

/// One line of the table: oneloop and its peers measured in the same run.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was measured.
    pub name: String,
    /// The unit of every figure in the row.
    pub unit: &'static str,
    /// Which way is better.
    pub better: Better,
    /// The smallest value that means anything (measurement resolution);
    /// ratios treat anything smaller as this, so two idle zeros compare as 1×.
    pub floor: f64,
    /// oneloop's figures.
    pub oneloop: Cell,
    /// Each peer's figures, in column order.
    pub peers: Vec<(&'static str, Cell)>,
    /// What oneloop should achieve, if the row has a goal.
    pub goal: Option<Goal>,
}

impl Row {
    /// A row with no peers and no goal yet.
    pub fn new(name: impl Into<String>, unit: &'static str, better: Better, oneloop: Cell) -> Row {
        Row {
            name: name.into(),
            unit,
            better,
            floor: 0.0,
            oneloop,
            peers: Vec::new(),
            goal: None,
        }
    }

    /// Adds a peer column.
    pub fn peer(mut self, name: &'static str, cell: Cell) -> Row {
        self.peers.push((name, cell));
        self
    }

    /// Sets the goal.
    pub fn goal(mut self, text: &str, clauses: Vec<Clause>) -> Row {
        self.goal = Some(Goal {
            text: text.to_owned(),
            clauses,
        });
        self
    }

    /// Sets the measurement resolution.
    #[cfg_attr(
        not(target_os = "linux"),
        allow(dead_code, reason = "only Linux rows use it")
    )]
    pub fn floor(mut self, floor: f64) -> Row {
        self.floor = floor;
        self
    }

    /// oneloop against `peer`, >1 meaning oneloop is better: the median over
    /// repetitions of the ratio within each repetition, so that a slow moment
    /// of the shared machine hits both sides of a ratio alike.
    pub fn ratio_vs(&self, peer: &str) -> Option<f64> {
        let ours = self.oneloop.runs()?;
        let theirs = self
            .peers
            .iter()
            .find(|(name, _)| *name == peer)?
            .1
            .runs()?;
        let ratios: Vec<f64> = ours
            .iter()
            .zip(theirs)
            .filter_map(|(&o, &p)| {
                let (o, p) = (o.max(self.floor), p.max(self.floor));
                let ratio = match self.better {
                    Better::Higher => o / p,
                    Better::Lower => p / o,
                };
                ratio.is_finite().then_some(ratio)
            })
            .collect();
        (!ratios.is_empty() && ours.len() == theirs.len()).then(|| median(&ratios))
    }

    /// The peer with the best median, and oneloop's ratio against it.
    pub fn ratio_vs_best(&self) -> Option<(&'static str, f64)> {
        let best = self
            .peers
            .iter()
            .filter_map(|(name, cell)| Some((*name, cell.median()?)))
            .reduce(|a, b| {
                let b_better = match self.better {
                    Better::Higher => b.1 > a.1,
                    Better::Lower => b.1 < a.1,
                };
                if b_better {
                    b
                } else {
                    a
                }
            })?;
        Some((best.0, self.ratio_vs(best.0)?))
    }

    /// Whether the goal is met; `None` without a goal or when a clause needs
    /// a figure that is missing (a skipped peer).
    pub fn goal_met(&self) -> Option<bool> {
        let goal = self.goal.as_ref()?;
        let mut all = Some(true);
        for clause in &goal.clauses {
            let holds = match *clause {
                Clause::RatioAtLeast(peer, at_least) => self.ratio_vs(peer).map(|r| r >= at_least),
                Clause::Below(limit) => self.oneloop.median().map(|m| m < limit),
                Clause::AtLeast(limit) => self.oneloop.median().map(|m| m >= limit),
            };
            match holds {
                Some(false) => return Some(false),
                None => all = None,
                Some(true) => {}
            }
        }
        all
    }
}

/// Three significant digits or so, enough for a noisy machine.
fn number(v: f64) -> String {
    match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        a if a >= 0.01 || a == 0.0 => format!("{v:.2}"),
        _ => format!("{v:.4}"),
    }
}

fn cell_text(cell: Option<&Cell>) -> String {
    match cell {
        None => String::new(),
        Some(Cell::Skipped(reason)) => reason.clone(),
        Some(cell @ Cell::Runs(_)) => match (cell.median(), cell.min(), cell.max()) {
            (Some(med), Some(lo), Some(hi)) => {
                format!("{} [{}–{}]", number(med), number(lo), number(hi))
            }
            _ => "no runs".to_owned(),
        },
    }
}

/// Every peer that appears in any row, in order of first appearance.
fn peer_columns(rows: &[Row]) -> Vec<&'static str> {
    let mut columns: Vec<&'static str> = Vec::new();
    for (name, _) in rows.iter().flat_map(|r| &r.peers) {
        if !columns.contains(name) {
            columns.push(name);
        }
    }
    columns
}

/// The table: one line per row, one column per subject.
pub fn table(rows: &[Row], repetitions: usize) -> String {
    let peers = peer_columns(rows);
    let mut header = vec!["row".to_owned(), "unit".to_owned(), "oneloop".to_owned()];
    header.extend(peers.iter().map(|p| (*p).to_owned()));
    header.extend(["ratio".to_owned(), "goal".to_owned(), "met".to_owned()]);
    let mut lines = vec![header];
    for row in rows {
        let mut line = vec![
            row.name.clone(),
            row.unit.to_owned(),
            cell_text(Some(&row.oneloop)),
        ];
        for peer in &peers {
            let cell = row
                .peers
                .iter()
                .find(|(name, _)| name == peer)
                .map(|(_, c)| c);
            line.push(cell_text(cell));
        }
        line.push(match row.ratio_vs_best() {
            Some((peer, ratio)) => format!("{}× vs {peer}", number(ratio)),
            None => "—".to_owned(),
        });
        line.push(row.goal.as_ref().map_or("—".to_owned(), |g| g.text.clone()));
        line.push(
            match row.goal_met() {
                Some(true) => "yes",
                Some(false) => "NO",
                None if row.goal.is_some() => "?",
                None => "—",
            }
            .to_owned(),
        );
        lines.push(line);
    }
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|col| {
            lines
                .iter()
                .map(|l| l[col].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        for (col, text) in line.iter().enumerate() {
            let pad = widths[col] - text.chars().count();
            let _ = write!(out, "{text}{}  ", " ".repeat(pad));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        if i == 0 {
            let rule: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
            out.push_str(&"-".repeat(rule));
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "\ncells: median [min–max] of {repetitions} repetitions; ratio: median of per-repetition \
         ratios against the best peer (>1 = oneloop better)"
    );
    out
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_number(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => "null".to_owned(),
    }
}

fn json_cell(cell: &Cell) -> String {
    match cell {
        Cell::Skipped(reason) => format!("{{\"skipped\": {}}}", json_string(reason)),
        Cell::Runs(runs) => {
            let all: Vec<String> = runs.iter().map(|&v| json_number(Some(v))).collect();
            format!(
                "{{\"median\": {}, \"min\": {}, \"max\": {}, \"runs\": [{}]}}",
                json_number(cell.median()),
                json_number(cell.min()),
                json_number(cell.max()),
                all.join(", ")
            )
        }
    }
}

/// The rows as a JSON array of objects with `name`, `unit`, `oneloop`, one
/// field per peer, `ratio` (against `ratio_vs`), `goal` and `goal_met`.
pub fn json(rows: &[Row]) -> String {
    let mut objects = Vec::new();
    for row in rows {
        let mut fields = vec![
            format!("\"name\": {}", json_string(&row.name)),
            format!("\"unit\": {}", json_string(row.unit)),
            format!("\"oneloop\": {}", json_cell(&row.oneloop)),
        ];
        for (peer, cell) in &row.peers {
            fields.push(format!("{}: {}", json_string(peer), json_cell(cell)));
        }
        let best = row.ratio_vs_best();
        fields.push(format!("\"ratio\": {}", json_number(best.map(|b| b.1))));
        let vs = best.map_or("null".to_owned(), |b| json_string(b.0));
        fields.push(format!("\"ratio_vs\": {vs}"));
        let goal = row
            .goal
            .as_ref()
            .map_or("null".to_owned(), |g| json_string(&g.text));
        fields.push(format!("\"goal\": {goal}"));
        let met = row.goal_met().map_or("null".to_owned(), |m| m.to_string());
        fields.push(format!("\"goal_met\": {met}"));
        objects.push(format!("  {{\n    {}\n  }}", fields.join(",\n    ")));
    }
    format!("[\n{}\n]\n", objects.join(",\n"))
}

/// Where the JSON goes: `$CARGO_TARGET_DIR/bench/peers.json` when that is
/// set, else `target/bench/peers.json` under the workspace root.
pub fn json_path() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    };
    target.join("bench").join("peers.json")
}

/// Writes the JSON next to the other build output, creating the folder.
pub fn write_json(rows: &[Row]) -> std::io::Result<PathBuf> {
    let path = json_path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, json(rows))?;
    Ok(path)
}
