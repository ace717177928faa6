/*!
Importing documents from outside gongkai.
*/

pub mod docx;
