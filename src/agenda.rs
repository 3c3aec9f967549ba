//! What a study day holds: its limits (the interview plan's while one is active), the order of
//! new cards, and the queue they make of a set of cards. Pure: commands load the catalog, the
//! state and the settings and ask it; it reads no file, clock or setting itself.

use crate::deck::Catalog;
use crate::model::{Card, ReviewState, StudyDay};
use crate::plan::{self, DoneToday, Limits, Plan};
use crate::queue::{self, Entry, NewOrder};

/// What shapes a day's queue: the study day, its limits, the interview plan if one is set, and
/// the order of new cards.
#[derive(Debug, Clone)]
pub struct Agenda {
    pub today: StudyDay,
    pub limits: Limits,
    pub plan: Option<Plan>,
    pub new_order: NewOrder,
}

impl Agenda {
    /// The day's agenda: the configured limits, or the plan's while an interview plan is active
    /// (its new-card count comes from every deck, not just the cards a command looks at).
    pub fn new(
        today: StudyDay,
        configured: Limits,
        plan: Option<Plan>,
        catalog: &Catalog,
        state: &ReviewState,
        new_order: NewOrder,
    ) -> Agenda {
        let done = plan::done_on(state.cards.values(), today);
        let unseen = catalog
            .cards()
            .filter(|c| !state.cards.contains_key(&c.id) && !state.suspended.contains(&c.id))
            .count();
        let limits = plan::limits(plan.as_ref(), today, configured, unseen, done.new as usize);
        Agenda {
            today,
            limits,
            plan,
            new_order,
        }
    }

    /// The plan, while it shapes the schedule.
    pub fn active_plan(&self) -> Option<&Plan> {
        self.plan.as_ref().filter(|p| p.active(self.today))
    }

    /// What was already done today, which counts against the day's limits.
    pub fn done(&self, state: &ReviewState) -> DoneToday {
        plan::done_on(state.cards.values(), self.today)
    }

    /// The day's review queue among `cards`.
    pub fn queue<'a>(&self, cards: &[&'a Card], state: &'a ReviewState) -> Vec<Entry<'a>> {
        queue::due(
            cards.iter().copied(),
            state,
            self.today,
            (self.limits, self.done(state)),
            self.active_plan(),
            &self.new_order,
        )
    }
}
