//! Consistency checks on a parsed seed, so a hand-edited or generated file with a typo fails
//! at load time with a message naming the record, not later as an odd gateway answer.

use std::collections::HashSet;

use super::model::{SeedAssets, SeedCard, SeedFile};
use crate::media;
use crate::shape::{CUSTOMER_NUMBER_MAX, is_expire, is_issued_token_shape, sanitise};

/// Highest merchant id the gateway accepts (int parameter rule, docs/assist-api.md §3.2).
const MERCHANT_ID_MAX: u32 = 2_147_483_647;

pub(super) fn check(file: &SeedFile) -> Result<(), String> {
    let mut merchant_ids = HashSet::new();
    let mut tokens = HashSet::new();
    for merchant in &file.merchants {
        let id = merchant.merchant_id;
        if id == 0 || id > MERCHANT_ID_MAX || !merchant_ids.insert(id) {
            return Err(format!("merchant id {id} is zero, too large or repeated"));
        }
        let mut numbers = HashSet::new();
        for customer in &merchant.customers {
            let number = &customer.customer_number;
            let length = number.chars().count();
            if length == 0 || length > CUSTOMER_NUMBER_MAX || sanitise(number) != *number {
                return Err(format!(
                    "merchant {id}: customer number {number:?} is empty, longer than \
                     {CUSTOMER_NUMBER_MAX} characters or holds a character the gateway strips"
                ));
            }
            if !numbers.insert(number.as_str()) {
                return Err(format!("merchant {id}: customer {number:?} appears twice"));
            }
            for card in &customer.cards {
                check_card(card).map_err(|e| format!("merchant {id}, customer {number:?}: {e}"))?;
                if !tokens.insert(card.token.as_str()) {
                    return Err(format!("token {} appears twice", card.token));
                }
            }
        }
    }
    let mut logins = HashSet::new();
    for user in &file.users {
        if user.login.is_empty() || user.password.is_empty() || !logins.insert(&user.login) {
            return Err(format!(
                "user {:?} is empty, has no password or repeats",
                user.login
            ));
        }
        if !merchant_ids.contains(&user.merchant_id) {
            return Err(format!(
                "user {:?} belongs to unknown merchant {}",
                user.login, user.merchant_id
            ));
        }
    }
    Ok(())
}

fn check_card(card: &SeedCard) -> Result<(), String> {
    let token = &card.token;
    if !is_issued_token_shape(token) {
        return Err(format!(
            "token {token:?} is not uppercase 8-4-4-4-12 hex with a 4 at group 3"
        ));
    }
    if !is_expire(&card.expire) {
        return Err(format!(
            "card {token}: expire {:?} is not MM.YYYY",
            card.expire
        ));
    }
    if card.post.len() != 4 || !card.post.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "card {token}: post {:?} is not 4 digits",
            card.post
        ));
    }
    if !(100_000..=99_999_999).contains(&card.bin) {
        return Err(format!(
            "card {token}: bin {} is not 6 to 8 digits",
            card.bin
        ));
    }
    if card.brand.is_empty() {
        return Err(format!("card {token}: empty brand"));
    }
    if let SeedAssets::List(assets) = &card.assets {
        for data in assets.iter().flat_map(|a| &a.asset_data) {
            if media::find(&data.media).is_none() {
                return Err(format!(
                    "card {token}: media {:?} is not served",
                    data.media
                ));
            }
        }
    }
    Ok(())
}
