//! The whole app model in one screen: state, messages, update, view.

use oneloop::{App, Cx, Element, Event, Settings, WindowSettings};
use oneloop_widgets::{button, column, label, row};

#[derive(Default)]
pub(crate) struct Counter {
    count: i64,
}

#[derive(Debug, Clone)]
pub(crate) enum Msg {
    Increment,
    Decrement,
}

impl App for Counter {
    type Message = Msg;
    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::App(Msg::Increment) => self.count += 1,
            Event::App(Msg::Decrement) => self.count -= 1,
            _ => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let minus = button("−").on_press(Msg::Decrement);
        let plus = button("+").on_press(Msg::Increment);
        let count = label(format!("Count: {}", self.count)).size(28.0);
        let content = column().padding(24.0).push(count);
        content.push(row().push(minus).push(plus)).into()
    }
}

fn main() -> Result<(), oneloop::RunError> {
    let settings = Settings::window(WindowSettings::new("Counter").size(320.0, 160.0));
    oneloop::run(Counter::default(), settings).map(drop)
}
